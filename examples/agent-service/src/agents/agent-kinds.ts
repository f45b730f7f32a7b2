import { createOpenAICompatible } from "@ai-sdk/openai-compatible";
import { aiAgentKind, type ModelRegistry, modelRegistry } from "@nextgen/ai";
import type { KindMap, ToolRegistry } from "@nextgen/core";
import type { ServiceConfig } from "../config/service-config.js";
import { sampleToolRegistry } from "../tools/sample-tools.js";
import { SCRIPTED_MODEL_LABEL, scriptedModel } from "./scripted-model.js";

/** What the factory is built with: its kinds and the host's tools. */
export interface AgentKinds {
  kinds: KindMap;
  tools: ToolRegistry;
  /** Which model drives the agents, for `/healthz/ready` and the start banner. */
  model: string;
}

/** The roles of the sample templates. */
const ROLES = ["specialist", "generalist", "coordinator", "analyzer", "validator"] as const;

/**
 * The models templates may name (`fast`, `reasoning`, and `default` for templates that name
 * none): an OpenAI-compatible server when `OPENAI_API_KEY` is set (`OPENAI_BASE_URL`,
 * `OPENAI_MODEL_FAST` and `OPENAI_MODEL` choose where and which), the scripted model otherwise.
 */
function serviceModels(config: ServiceConfig): { models: ModelRegistry; label: string } {
  const apiKey = config.openaiApiKey;
  if (apiKey === undefined) {
    const model = scriptedModel({ latencyMs: config.scriptedLatencyMs });
    return { models: modelRegistry({ fast: model, reasoning: model, default: model }), label: SCRIPTED_MODEL_LABEL };
  }
  const baseURL = config.openaiBaseUrl ?? "https://api.openai.com/v1";
  const fastModel = config.openaiModelFast;
  const reasoningModel = config.openaiModel;
  const provider = createOpenAICompatible({ name: "openai", baseURL, apiKey });
  const fast = provider.chatModel(fastModel);
  return {
    models: modelRegistry({ fast, reasoning: provider.chatModel(reasoningModel), default: fast }),
    label: `${fastModel} (fast) and ${reasoningModel} (reasoning) at ${baseURL}`,
  };
}

/**
 * THE SEAM: the one place that decides which agent classes the service's factory builds.
 * Every role of the sample templates is a model-driven `aiAgentKind`: the signed template's
 * instructions are the system prompt, its `config.model` picks the model, and only the tools
 * (and delegations) it grants are offered to the model.
 *
 * @example
 * ```ts
 * const { kinds, tools } = agentKinds(config);
 * const factory = createAgentFactory({ source, trust, kinds, tools });
 * ```
 */
export function agentKinds(config: ServiceConfig): AgentKinds {
  const { models, label } = serviceModels(config);
  const kind = aiAgentKind({ models });
  const kinds: KindMap = {};
  for (const role of ROLES) kinds[role] = kind;
  return { kinds, tools: sampleToolRegistry(), model: label };
}
