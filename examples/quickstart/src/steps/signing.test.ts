import { mkdtemp, readdir, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterEach, describe, expect, it, vi } from "vitest";
import type { QuickstartContext } from "../context.js";
import { factoryShared, signingShared } from "../shared.js";
import { factoryStep } from "./factory.js";
import { steps } from "./index.js";
import { signingStep } from "./signing.js";

const samplesDir = fileURLToPath(new URL("../../../templates/", import.meta.url));
const dirs: string[] = [];
afterEach(async () => {
  vi.restoreAllMocks();
  for (const dir of dirs.splice(0)) await rm(dir, { recursive: true, force: true });
});

describe("quickstart signing step", () => {
  it("runs first, signs every sample, and every later factory requires signatures without a warning", async () => {
    expect(steps[0]).toBe(signingStep);
    const lines: string[] = [];
    vi.spyOn(console, "log").mockImplementation((...args: unknown[]) => {
      lines.push(args.join(" "));
    });
    const warnings: Error[] = [];
    const onWarning = (warning: Error): void => {
      warnings.push(warning);
    };
    process.on("warning", onWarning);
    const emitWarning = vi.spyOn(process, "emitWarning");
    try {
      const workDir = await mkdtemp(join(tmpdir(), "nextgen-quickstart-signing-"));
      dirs.push(workDir);
      const context: QuickstartContext = { samplesDir, workDir, shared: new Map(), heading: () => {} };
      await signingStep(context);
      await factoryStep(context);

      const signing = signingShared(context);
      const sampleCount = (await readdir(samplesDir, { recursive: true })).filter((name) =>
        name.endsWith(".json"),
      ).length;
      expect(lines.join("\n")).toContain(`signed ${sampleCount} templates with Ed25519 kid "quickstart-demo"`);
      const signedFiles = (await readdir(signing.signedDir, { recursive: true })).filter((name) =>
        name.endsWith(".json"),
      );
      expect(signedFiles).toHaveLength(sampleCount);
      for (const file of signedFiles) {
        const template = JSON.parse(await readFile(join(signing.signedDir, file), "utf8"));
        expect(template.signatures).toHaveLength(1);
      }
      // The factory the later steps reuse verifies with the signing step's policy.
      expect(factoryShared(context).options.trust).toBe(signing.trust);
      expect(signing.trust.requireSignatures).toBe(true);
      expect(signing.trust.cryptoOperations).toBeGreaterThanOrEqual(sampleCount);
      expect(emitWarning).not.toHaveBeenCalled();
    } finally {
      process.off("warning", onWarning);
    }
    expect(warnings).toEqual([]);
  });
});
