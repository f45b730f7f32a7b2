import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterEach, describe, expect, it, onTestFinished, vi } from "vitest";
import type { QuickstartContext } from "../context.js";
import { cacheStep } from "./cache.js";
import { factoryStep } from "./factory.js";
import { signingStep } from "./signing.js";

const samplesDir = fileURLToPath(new URL("../../../templates/", import.meta.url));
const dirs: string[] = [];
afterEach(async () => {
  vi.restoreAllMocks();
  for (const dir of dirs.splice(0)) await rm(dir, { recursive: true, force: true });
});

describe("quickstart cache step", () => {
  it("prints cold and warm creates and the hit ratio per tier, the restart served by the file tier", async () => {
    // Without REDIS_URL the step uses the memory and file tiers only.
    const redisUrl = process.env.REDIS_URL;
    delete process.env.REDIS_URL;
    onTestFinished(() => {
      if (redisUrl !== undefined) process.env.REDIS_URL = redisUrl;
    });
    const lines: string[] = [];
    vi.spyOn(console, "log").mockImplementation((...args: unknown[]) => {
      lines.push(args.join(" "));
    });
    const workDir = await mkdtemp(join(tmpdir(), "nextgen-quickstart-cache-"));
    dirs.push(workDir);
    const context: QuickstartContext = { samplesDir, workDir, shared: new Map(), heading: () => {} };
    await signingStep(context);
    await factoryStep(context);
    lines.length = 0;
    await cacheStep(context);
    const output = lines.join("\n");

    expect(output).toMatch(/^phase\s+tier\s+hits\s+misses\s+hit ratio$/m);
    // First start: nothing cached anywhere, so the file tier only misses.
    expect(output).toMatch(/^first start \(empty tiers\)\s+L2 file\s+0\s+[1-9]\d*\s+0 %$/m);
    // Restart: a fresh memory tier misses, and the file tier answers every lookup.
    expect(output).toMatch(/^restart \(file tier kept\)\s+L2 file\s+[1-9]\d*\s+0\s+100 %$/m);
    expect(output).toMatch(/first start \(empty tiers\): cold create \d+ µs, warm create [\d.]+ µs/);
    expect(output).toContain("set REDIS_URL to add a Redis tier");
  });
});
