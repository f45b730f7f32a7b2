import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterEach, expect, it, vi } from "vitest";
import type { QuickstartContext } from "../context.js";
import { sampleTask } from "../sample-task.js";
import { factoryStep } from "./factory.js";
import { poolStep } from "./pool.js";
import { signingStep } from "./signing.js";

const samplesDir = fileURLToPath(new URL("../../../templates/", import.meta.url));
const dirs: string[] = [];
afterEach(async () => {
  vi.restoreAllMocks();
  for (const dir of dirs.splice(0)) await rm(dir, { recursive: true, force: true });
});

it("runs one worker-backed agent per file and prints the pool's stats", async () => {
  const lines: string[] = [];
  vi.spyOn(console, "log").mockImplementation((...args: unknown[]) => {
    lines.push(args.join(" "));
  });
  const workDir = await mkdtemp(join(tmpdir(), "nextgen-quickstart-pool-"));
  dirs.push(workDir);
  const context: QuickstartContext = { samplesDir, workDir, shared: new Map(), heading: () => {} };
  await signingStep(context);
  await factoryStep(context);
  lines.length = 0;
  await poolStep(context);
  const output = lines.join("\n");
  for (const file of sampleTask.files) expect(output).toContain(file.path);
  expect(output).toMatch(
    new RegExp(`pool "complexity": \\d+ thread\\(s\\), ${sampleTask.files.length} completed, 0 failed`),
  );
  expect(process.getActiveResourcesInfo().filter((name) => /Worker|MessagePort/.test(name))).toEqual([]);
});
