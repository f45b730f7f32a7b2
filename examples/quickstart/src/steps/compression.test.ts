import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterEach, describe, expect, it, vi } from "vitest";
import type { QuickstartContext } from "../context.js";
import { compressionStep } from "./compression.js";

const samplesDir = fileURLToPath(new URL("../../../templates/", import.meta.url));
let workDir: string | undefined;
afterEach(async () => {
  vi.restoreAllMocks();
  if (workDir !== undefined) await rm(workDir, { recursive: true, force: true });
});

describe("quickstart compression step", () => {
  it("stores every sample template as .json.zst and prints a total ratio of at most 0.25", async () => {
    workDir = await mkdtemp(join(tmpdir(), "nextgen-quickstart-compression-"));
    const context: QuickstartContext = { samplesDir, workDir, shared: new Map(), heading: () => {} };
    const lines: string[] = [];
    vi.spyOn(console, "log").mockImplementation((...args: unknown[]) => {
      lines.push(args.join(" "));
    });
    await compressionStep(context);
    const output = lines.join("\n");
    expect(output).toMatch(/^security\/auditor@2\.0\.0\s+\d+\s+\d+\s+\d+\s+0\.\d{3}$/m);
    const total = /^total\s+\d+ → \d+ bytes: (0\.\d{3}) with the dictionary, (0\.\d{3}) without$/m.exec(output);
    expect(total).not.toBeNull();
    expect(Number(total![1])).toBeLessThanOrEqual(0.25);
    expect(Number(total![2])).toBeGreaterThan(Number(total![1]));
  });
});
