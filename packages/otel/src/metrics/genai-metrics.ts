import type { GenAiModelCallContext } from "@nextgen/core";
import { GENAI_MODEL_CALL_CHANNEL } from "@nextgen/core";
import type { Attributes, Meter } from "@opentelemetry/api";
import { errorType } from "../channels/error-type.js";
import { subscribeTrace } from "../channels/subscribe-trace.js";

/** Bucket advice of `gen_ai.client.token.usage` from the GenAI conventions (powers of 4). */
export const GENAI_TOKEN_BUCKETS: readonly number[] = [
  1, 4, 16, 64, 256, 1024, 4096, 16384, 65536, 262144, 1048576, 4194304, 16777216, 67108864,
];
/** Bucket advice of `gen_ai.client.operation.duration` from the GenAI conventions, in seconds. */
export const GENAI_DURATION_BUCKETS_SECONDS: readonly number[] = [
  0.01, 0.02, 0.04, 0.08, 0.16, 0.32, 0.64, 1.28, 2.56, 5.12, 10.24, 20.48, 40.96, 81.92,
];

/**
 * Records each model call on `gen_ai.client.token.usage` (one point per token type) and
 * `gen_ai.client.operation.duration`, with the attributes the GenAI conventions name
 * (`gen_ai.operation.name`, `gen_ai.provider.name`, `gen_ai.request.model`,
 * `gen_ai.token.type`, `error.type`). Returns the unsubscribe function.
 * @internal
 */
export function subscribeGenAiMetrics(meter: Meter): () => void {
  const tokens = meter.createHistogram("gen_ai.client.token.usage", {
    description: "Tokens used per model call, by token type.",
    unit: "{token}",
    advice: { explicitBucketBoundaries: [...GENAI_TOKEN_BUCKETS] },
  });
  const duration = meter.createHistogram("gen_ai.client.operation.duration", {
    description: "Duration of one model call.",
    unit: "s",
    advice: { explicitBucketBoundaries: [...GENAI_DURATION_BUCKETS_SECONDS] },
  });
  const starts = new WeakMap<object, number>();
  return subscribeTrace<GenAiModelCallContext>(GENAI_MODEL_CALL_CHANNEL, {
    start: (context) => starts.set(context, performance.now()),
    finish: (context) => {
      const started = starts.get(context);
      if (started === undefined) return;
      starts.delete(context);
      const attributes: Attributes = {
        "gen_ai.operation.name": "chat",
        "gen_ai.provider.name": context.provider,
        "gen_ai.request.model": context.model,
      };
      if (context.responseModel !== undefined) attributes["gen_ai.response.model"] = context.responseModel;
      duration.record(
        (performance.now() - started) / 1000,
        "error" in context ? { ...attributes, "error.type": errorType(context.error) } : attributes,
      );
      if (context.inputTokens !== undefined)
        tokens.record(context.inputTokens, { ...attributes, "gen_ai.token.type": "input" });
      if (context.outputTokens !== undefined) {
        tokens.record(context.outputTokens, { ...attributes, "gen_ai.token.type": "output" });
      }
    },
  });
}
