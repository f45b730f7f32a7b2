import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterEach, describe, expect, it, vi } from "vitest";
import type { QuickstartContext } from "../context.js";
import { factoryShared } from "../shared.js";
import { factoryStep } from "./factory.js";
import { signingStep } from "./signing.js";

const samplesDir = fileURLToPath(new URL("../../../templates/", import.meta.url));
const dirs: string[] = [];
afterEach(async () => {
  vi.restoreAllMocks();
  for (const dir of dirs.splice(0)) await rm(dir, { recursive: true, force: true });
});

async function quickstartContext(): Promise<QuickstartContext> {
  const workDir = await mkdtemp(join(tmpdir(), "nextgen-quickstart-factory-"));
  dirs.push(workDir);
  return { samplesDir, workDir, shared: new Map(), heading: () => {} };
}

describe("quickstart factory step", () => {
  it("creates and runs one agent per sample template version and prints the table", async () => {
    const lines: string[] = [];
    vi.spyOn(console, "log").mockImplementation((...args: unknown[]) => {
      lines.push(args.join(" "));
    });
    const context = await quickstartContext();
    await signingStep(context);
    await factoryStep(context);
    const output = lines.join("\n");

    expect(output).toMatch(/^template\s+version\s+kind\s+digest\s+cold µs\s+warm µs\s+result$/m);
    for (const [id, version, kind] of [
      ["security/auditor", "1.2.0", "specialist"],
      ["security/auditor", "2.0.0", "specialist"],
      ["performance/auditor", "1.0.0", "analyzer"],
      ["review/senior-peer", "1.0.0", "validator"],
      ["docs/technical-writer", "0.3.0", "generalist"],
      ["analysis/coordinator", "1.0.0", "coordinator"],
    ] as const) {
      expect(output).toMatch(
        new RegExp(`^${id}\\s+${version.replaceAll(".", "\\.")}\\s+${kind}\\s+sha256:[0-9a-f]{12}…`, "m"),
      );
    }
    // The planted problems are found by the right tools.
    expect(output).toMatch(/^security\/auditor\s+2\.0\.0.*\d+ finding\(s\)$/m);
    expect(output).toMatch(/^review\/senior-peer.*request-changes/m);
    expect(output).toMatch(/^performance\/auditor.*score \d+/m);
    expect(output).toMatch(/^analysis\/coordinator.*distinct findings, merge blocked$/m);
    expect(output).toMatch(/^11 agents from 11 template versions, 5 kinds; warm create median [\d.]+ µs/m);
    expect(output).toContain("refused with NG_ERR_TOOL_UNKNOWN");
    expect(output).toMatch(
      /^diff-stats ran as a WebAssembly\/WASI module in a pool worker for \d+ agents \(module sha256:/m,
    );

    const shared = factoryShared(context);
    expect(Object.keys(shared.kinds).sort()).toEqual([
      "analyzer",
      "coordinator",
      "generalist",
      "specialist",
      "validator",
    ]);
    expect(shared.tools.names).toContain("secret-scan");
    expect(shared.tools.definition("diff-stats")?.digest).toBe(shared.sandboxed.digest);
    await shared.sandboxed.close();
  });
});
