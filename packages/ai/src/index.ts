// Public API of @nextgen/ai, listed by name (no `export *`).

// The model-driven agent kind.

export type { AiAgent, AiAgentKind, AiAgentKindOptions } from "./ai-agent-kind.js";
export { aiAgentKind } from "./ai-agent-kind.js";

// What a run takes and returns (`run(input)`, `stream(input)`).

export type { AiInput, AiRunResult, AiStep, AiStream, AiStreamEvent, AiToolCall, AiUsage } from "./ai-types.js";

// Models: the registry a template's `config.model` is resolved against.

export type { LanguageModelObject, LanguageModelProvider, ModelRegistry } from "./model-registry.js";
export { modelRegistry } from "./model-registry.js";

// Errors: the codes this package raises (on core's NextGenError).

export type { AiErrorCode } from "./errors/ai-error-codes.js";
