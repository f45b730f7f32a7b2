import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterEach, describe, expect, it, vi } from "vitest";
import type { QuickstartContext } from "../context.js";
import { factoryStep } from "./factory.js";
import { signingStep } from "./signing.js";
import { trustStep } from "./trust.js";

const samplesDir = fileURLToPath(new URL("../../../templates/", import.meta.url));
const dirs: string[] = [];
afterEach(async () => {
  vi.restoreAllMocks();
  for (const dir of dirs.splice(0)) await rm(dir, { recursive: true, force: true });
});

describe("quickstart trust step", () => {
  it("creates every agent through verification and refuses a tampered and a replayed template", async () => {
    const lines: string[] = [];
    vi.spyOn(console, "log").mockImplementation((...args: unknown[]) => {
      lines.push(args.join(" "));
    });
    const workDir = await mkdtemp(join(tmpdir(), "nextgen-quickstart-trust-"));
    dirs.push(workDir);
    const context: QuickstartContext = { samplesDir, workDir, shared: new Map(), heading: () => {} };
    await signingStep(context);
    await factoryStep(context);
    lines.length = 0;
    await trustStep(context);
    const output = lines.join("\n");
    expect(output).toMatch(/^security\/auditor@2\.0\.0\s+sha256:\S+…\s+quickstart-demo\s+accepted$/m);
    expect(output).toMatch(/^base\/specialist@\S+\s+sha256:\S+…\s+quickstart-demo\s+accepted$/m);
    expect(output).not.toMatch(/\brefused$/m);
    expect(output).toContain("refused, reason bad-signature (NG_ERR_SIGNATURE_BAD)");
    expect(output).toContain("refused, reason rollback (NG_ERR_SIGNATURE_ROLLBACK)");
  });
});
