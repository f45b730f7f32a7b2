import { afterEach, describe, expect, it, vi } from "vitest";
import type { QuickstartContext } from "../context.js";
import { otelStep } from "./otel.js";

afterEach(() => {
  vi.restoreAllMocks();
});

describe("quickstart observability step", () => {
  it("prints the span tree of a cold create and an excerpt of the Prometheus metrics", async () => {
    const lines: string[] = [];
    vi.spyOn(console, "log").mockImplementation((...args: unknown[]) => {
      lines.push(args.join(" "));
    });
    const context: QuickstartContext = { samplesDir: "", workDir: "", shared: new Map(), heading: () => {} };
    await otelStep(context);
    const output = lines.join("\n");
    expect(output).toMatch(/^ {2}create_agent Greeter\s+[\d.]+ ms {2}\S+$/m);
    expect(output).toMatch(/^ {4}template\.resolve\s+[\d.]+ ms/m);
    expect(output).toMatch(/^ {6}trust\.verify\s+[\d.]+ ms {2}accepted$/m);
    expect(output).toMatch(/^ {2}invoke_agent Greeter\s+[\d.]+ ms/m);
    expect(output).toContain('nextgen_agents_created_total{kind="specialist",cached="false"} 1');
    expect(output).toContain('nextgen_agents_created_total{kind="specialist",cached="true"} 99');
    expect(output).toContain('nextgen_signature_verdicts_total{verdict="accepted",reason="none"} 1');
  });
});
