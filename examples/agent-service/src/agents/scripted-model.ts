import type { LanguageModelV4 } from "@ai-sdk/provider";
import { scriptedModel as sharedScriptedModel } from "@nextgen/ai/testing";

/** How the start banner and `/healthz/ready` name the built-in model. */
export const SCRIPTED_MODEL_LABEL = "scripted (built-in, deterministic: no network, no API key)";

/**
 * The service's offline model: `@nextgen/ai/testing`'s scripted model, which calls every tool
 * it is offered on the request's text, then counts the findings by severity
 * (`2 finding(s) (1 low, 1 critical).`). Each model call takes `latencyMs`.
 *
 * @example
 * ```ts
 * const model = scriptedModel({ latencyMs: 0 });
 * const kind = aiAgentKind({ models: modelRegistry({ fast: model, reasoning: model }) });
 * ```
 */
export function scriptedModel(options: { latencyMs?: number } = {}): LanguageModelV4 {
  return sharedScriptedModel({ modelId: "scripted-service", latencyMs: options.latencyMs ?? 0 });
}
