// Agent kinds and templates shared by the factory tests.
import { Agent } from "../agent/agent.js";
import type { RunContext } from "../agent/agent-types.js";
import type { AgentTemplate } from "../template/types.js";

/** Reports which template and tools it ran with. */
export class SpecialistAgent extends Agent<string, string> {
  readonly specialty = "specialist" as const;
  protected async execute(task: string, context: RunContext): Promise<string> {
    return `${context.template.id}:${task}:${context.tools.names.join(",")}`;
  }
}

/** Coordinates; returns a count to make its Result type differ. */
export class CoordinatorAgent extends Agent<string[], number> {
  readonly coordinates = true as const;
  protected execute(task: string[]): number {
    return task.length;
  }
}

export const templates: AgentTemplate[] = [
  {
    schemaVersion: 1,
    id: "base/specialist",
    version: "1.0.0",
    name: "Base specialist",
    role: "specialist",
    description: "Base of every specialist.",
    tools: ["grep"],
    config: { timeoutMs: 30_000, maxRetries: 1 },
    metadata: { tier: "production" },
  },
  {
    schemaVersion: 1,
    id: "security/auditor",
    version: "1.2.0",
    extends: "base/specialist",
    name: "Security auditor",
    description: "Finds vulnerabilities.",
    tools: ["secret-scan"],
    config: { temperature: 0.2 },
  },
  {
    schemaVersion: 1,
    id: "security/auditor",
    version: "2.0.0",
    extends: "base/specialist",
    name: "Security auditor",
    description: "Finds vulnerabilities, v2.",
    tools: ["secret-scan"],
  },
  {
    schemaVersion: 1,
    id: "analysis/coordinator",
    version: "1.0.0",
    name: "Analysis coordinator",
    role: "coordinator",
    description: "Splits work.",
  },
];

export const tools = {
  grep: (input: string): boolean => input.includes("x"),
  "secret-scan": (input: string): boolean => /AKIA[0-9A-Z]{16}/.test(input),
};
