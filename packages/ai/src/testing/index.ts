// `@nextgen/ai/testing`: a deterministic model for offline runs and tests (like `ai/test`), and
// a scripted OpenAI-compatible server for tests of the real provider path over HTTP.
// Listed by name, like every entry point.

export { startOpenAiLoopback } from "./openai-loopback.js";
export type {
  LoopbackReply,
  LoopbackRequest,
  OpenAiLoopback,
  OpenAiLoopbackOptions,
} from "./openai-loopback-types.js";
export { scriptedModel } from "./scripted-model.js";
export type { ScriptedModelOptions, ScriptedToolResult } from "./scripted-model-options.js";
