import { fileURLToPath } from "node:url";
import { afterEach, describe, expect, it, vi } from "vitest";
import type { QuickstartContext } from "../context.js";
import { steps } from "./index.js";
import { interopStep } from "./interop.js";

const samplesDir = fileURLToPath(new URL("../../../templates/", import.meta.url));
afterEach(() => {
  vi.restoreAllMocks();
});

describe("quickstart interop step", () => {
  it("calls one MCP tool over Streamable HTTP and signs, verifies and refuses a tampered A2A card", async () => {
    expect(steps).toContain(interopStep);
    const lines: string[] = [];
    vi.spyOn(console, "log").mockImplementation((...args: unknown[]) => {
      lines.push(args.join(" "));
    });
    const context: QuickstartContext = { samplesDir, workDir: samplesDir, shared: new Map(), heading: () => {} };
    await interopStep(context);
    const output = lines.join("\n");
    expect(output).toContain('MCP tool   text/word-count: "Counts the words of a text."');
    expect(output).toMatch(/^ {2}pin {6}sha256:[0-9a-f]{64} /m);
    expect(output).toContain('"signed templates, verified agents" -> 4 words');
    expect(output).toMatch(/^A2A card {3}Security Auditor \S+: \d+ skill\(s\), signed by cards-demo$/m);
    expect(output).toContain("  tampered refused: NG_ERR_SIGNATURE_BAD");
  });
});
