// The READMEs' code samples (root and packages/core), type-checked against the real API.
// readme-sample.test.ts fails when a README's lines and the ones below drift apart.
import { describe, expectTypeOf, it } from "vitest";
import { Agent } from "../agent/agent.js";
import { directorySource } from "../source/directory-source.js";
import { toolRegistry } from "../tools/tool-registry.js";
import { loadTrustPolicy } from "../trust/load-trust-policy.js";
import { createAgentFactory } from "./create-agent-factory.js";

// What the README imports from "./agents.js" and "./tools.js".
class SpecialistAgent extends Agent<{ repository: string }, string[]> {
  protected execute(task: { repository: string }): string[] {
    return [task.repository];
  }
}
class CoordinatorAgent extends Agent<string[][], string[]> {
  protected execute(reports: string[][]): string[] {
    return reports.flat();
  }
}
const semgrep = (path: string): string[] => [path];
const dependencyAudit = (lockfile: string): string[] => [lockfile];

describe("README sample", () => {
  it("compiles, and create returns the kind's instance type", async () => {
    const factory = createAgentFactory({
      source: directorySource("./templates"),
      trust: await loadTrustPolicy("./trust.json"),
      kinds: { specialist: SpecialistAgent, coordinator: CoordinatorAgent },
      tools: toolRegistry({ semgrep, "dependency-audit": dependencyAudit }),
    });

    const auditor = await factory.create("security/auditor", { kind: "specialist" }); // SpecialistAgent
    const report = await auditor.run({ repository: "./service" }, { signal: AbortSignal.timeout(60_000) });
    await factory.close();

    expectTypeOf(auditor).toEqualTypeOf<SpecialistAgent>();
    expectTypeOf(report).toEqualTypeOf<string[]>();
  });
});

describe("packages/core README sample", () => {
  it("compiles, and create returns the kind's instance type", async () => {
    const factory = createAgentFactory({
      source: directorySource("./templates"),
      trust: await loadTrustPolicy("./trust.json"),
      kinds: { specialist: SpecialistAgent },
      tools: toolRegistry({ semgrep }),
    });
    const agent = await factory.create("security/auditor", { kind: "specialist" });
    await agent.run({ repository: "." });
    await factory.close();

    expectTypeOf(agent).toEqualTypeOf<SpecialistAgent>();
  });
});
