import { type JsonSchema, NextGenError, type RunContext } from "@nextgen/core";
import { DEFAULT_MAX_STEPS, jsonSchemaIssues } from "@nextgen/core/internal";
import { NoOutputGeneratedError } from "ai";
import type { AiRunResult } from "./ai-types.js";
import type { AiErrorCode } from "./errors/ai-error-codes.js";
import type { RunResultDraft } from "./run-result.js";

/**
 * The SDK's parsed output; `undefined` when the loop ended without a final answer.
 *
 * @example
 * ```ts
 * const parsed = await outputOf(() => result.output);
 * ```
 * @internal
 */
export async function outputOf(read: () => unknown): Promise<unknown> {
  try {
    return await read();
  } catch (error) {
    if (NoOutputGeneratedError.isInstance(error)) return undefined;
    throw error;
  }
}

/**
 * Completes a run's result: records its token usage on the run's trace, then, for a template
 * with an `output` schema, requires a final answer that satisfies it
 * (`NG_ERR_AGENT_OUTPUT_INVALID` otherwise, naming up to five problems) and sets `output`.
 *
 * @example
 * ```ts
 * return finish<Output>(runResult(result.steps, tools, agent), await outputOf(() => result.output), schema, context);
 * ```
 * @internal
 */
export function finish<Output>(
  result: RunResultDraft,
  parsed: unknown,
  schema: JsonSchema | undefined,
  context: RunContext,
): AiRunResult<Output> {
  const trace = context.trace;
  if (trace) {
    if (result.usage.inputTokens !== undefined) trace.inputTokens = result.usage.inputTokens;
    if (result.usage.outputTokens !== undefined) trace.outputTokens = result.usage.outputTokens;
  }
  if (typeof schema !== "object") return result as AiRunResult<Output>;
  if (parsed === undefined) {
    throw new NextGenError<AiErrorCode>(
      "NG_ERR_AGENT_OUTPUT_INVALID",
      `The run of ${context.template.id} ended without a final answer (finish reason "${result.finishReason}"; config.maxSteps is ${context.template.config.maxSteps ?? DEFAULT_MAX_STEPS}).`,
    );
  }
  const issues = jsonSchemaIssues(schema, parsed);
  if (issues.length > 0) {
    const shown = issues.slice(0, 5).map((issue) => `${issue.pointer || "(answer)"} ${issue.message}`);
    throw new NextGenError<AiErrorCode>(
      "NG_ERR_AGENT_OUTPUT_INVALID",
      `The answer of ${context.template.id} does not satisfy its output schema: ${shown.join("; ")}.`,
    );
  }
  result.output = parsed;
  return result as AiRunResult<Output>;
}
