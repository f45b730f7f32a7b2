// Public API of @nextgen/ai, listed by name (no `export *`).

export type { AiAgent, AiAgentKind, AiAgentKindOptions } from "./ai-agent-kind.js";
export { aiAgentKind } from "./ai-agent-kind.js";
export type { AiInput, AiRunResult, AiStep, AiStream, AiStreamEvent, AiToolCall, AiUsage } from "./ai-types.js";
export type { LanguageModelObject, LanguageModelProvider, ModelRegistry } from "./model-registry.js";
export { modelRegistry } from "./model-registry.js";
export type { ToolNameMap } from "./tool-names.js";
export { toolNameMap } from "./tool-names.js";
