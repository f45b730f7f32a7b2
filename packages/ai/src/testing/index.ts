// `@nextgen/ai/testing`: a deterministic model for offline runs and tests (like `ai/test`).
// Listed by name, like every entry point.

export { scriptedModel } from "./scripted-model.js";
export type { ScriptedModelOptions, ScriptedToolResult } from "./scripted-model-options.js";
