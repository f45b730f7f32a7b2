import type { KindMap, ToolRegistry } from "@nextgen/core";
import type { ServiceConfig } from "../config/service-config.js";
import { sampleToolRegistry } from "../tools/sample-tools.js";
import { ScriptedAgent } from "./scripted-agent.js";

/** What the factory is built with: its kinds and the host's tools. */
export interface AgentKinds {
  kinds: KindMap;
  tools: ToolRegistry;
  /** Which model drives the agents, for `/healthz/ready` and the start banner. */
  model: string;
}

/**
 * THE SEAM: the one place that decides which agent classes the service's factory builds.
 * Every role of the sample templates maps to the scripted model. When `@nextgen/ai` is on
 * main this becomes `aiAgentKind({ models })` with the scripted model (and an
 * OpenAI-compatible one when `OPENAI_API_KEY` is set); nothing else in the service changes.
 *
 * @example
 * ```ts
 * const { kinds, tools } = agentKinds(config);
 * const factory = createAgentFactory({ source, trust, kinds, tools });
 * ```
 */
export function agentKinds(config: ServiceConfig): AgentKinds {
  class Scripted extends ScriptedAgent {
    static override latencyMs = config.scriptedLatencyMs;
  }
  const kinds: KindMap = {};
  for (const role of ["specialist", "generalist", "coordinator", "analyzer", "validator"]) kinds[role] = Scripted;
  return { kinds, tools: sampleToolRegistry(), model: "scripted" };
}
