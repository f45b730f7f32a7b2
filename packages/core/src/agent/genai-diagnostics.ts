import diagnosticsChannel from "node:diagnostics_channel";
import type { TracedContext } from "../diagnostics/payloads.js";
import { runInContextOf } from "../diagnostics/publish.js";

/** Tracing channel of one model call (one step of a tool loop): `chat {model}` spans. */
export const GENAI_MODEL_CALL_CHANNEL = "nextgen:genai.model.call";
/** Tracing channel of one tool call a model asked for: `execute_tool {tool}` spans. */
export const GENAI_TOOL_CALL_CHANNEL = "nextgen:genai.tool.call";

/** Who is calling: the agent and its template (on both GenAI channels). */
export interface GenAiAgentFields {
  /** Agent instance id. */
  instanceId: string;
  /** Template id. */
  templateId: string;
  /** Template name (`gen_ai.agent.name`). */
  agentName: string;
  /** Template version (`gen_ai.agent.version`). */
  version: string;
}

/** Context of `nextgen:genai.model.call`. Token counts and the finish reason are set on completion. */
export interface GenAiModelCallContext extends TracedContext, GenAiAgentFields {
  /** The template's `config.model` name (`gen_ai.request.model`). */
  model: string;
  /** The provider's model id, when it reports one (`gen_ai.response.model`). */
  responseModel?: string;
  /** The provider (`gen_ai.provider.name`), e.g. `openai.chat`. */
  provider: string;
  /** 1 for the first step of a run. */
  step: number;
  /** Whether the call streams. */
  streamed: boolean;
  /** Prompt tokens (`gen_ai.usage.input_tokens`). */
  inputTokens?: number;
  /** Completion tokens (`gen_ai.usage.output_tokens`). */
  outputTokens?: number;
  /** Why the model stopped (`gen_ai.response.finish_reasons`). */
  finishReason?: string;
  /** Milliseconds from the call to the first streamed text (streams only). */
  timeToFirstTokenMs?: number;
  /** Prompt and completion, only when the host opted in to recording content. */
  content?: { input?: unknown; output?: unknown };
}

/** Context of `nextgen:genai.tool.call`. `outcome` is set on completion. */
export interface GenAiToolCallContext extends TracedContext, GenAiAgentFields {
  /** Registry name of the tool, or `delegate:<template id>` for a delegation. */
  toolName: string;
  /** The provider's id of the call (`gen_ai.tool.call.id`). */
  toolCallId: string;
  /** `ok`, `error` (the tool threw), or `refused` (never ran: ungranted, invalid input, pin). */
  outcome?: "ok" | "error" | "refused";
  /** The refusal's error code. */
  code?: string;
}

const channels = {
  model: diagnosticsChannel.tracingChannel<unknown, GenAiModelCallContext>(GENAI_MODEL_CALL_CHANNEL),
  tool: diagnosticsChannel.tracingChannel<unknown, GenAiToolCallContext>(GENAI_TOOL_CALL_CHANNEL),
};

/**
 * Runs one model call (`fn`) traced on `nextgen:genai.model.call` when someone listens,
 * inside the instrumentation's context so provider HTTP spans nest under it; bare
 * otherwise. `context` is built lazily and handed to `fn` to fill in usage.
 *
 * @example
 * ```ts
 * const result = await traceModelCall(() => ({ ...agentFields, model: "fast", provider: "openai", step: 1, streamed: false }),
 *   async (context) => { const output = await model.doGenerate(options); if (context) context.inputTokens = 12; return output; });
 * ```
 */
export function traceModelCall<T>(
  context: () => GenAiModelCallContext,
  fn: (context: GenAiModelCallContext | undefined) => Promise<T>,
): Promise<T> {
  return tracedCall(channels.model, context, fn);
}

/**
 * Runs one tool call (`fn`) traced on `nextgen:genai.tool.call` when someone listens.
 *
 * @example
 * ```ts
 * await traceToolCall(() => ({ ...agentFields, toolName: "read-file", toolCallId: "call_1" }), () => tools.call("read-file", input));
 * ```
 */
export function traceToolCall<T>(
  context: () => GenAiToolCallContext,
  fn: (context: GenAiToolCallContext | undefined) => Promise<T>,
): Promise<T> {
  return tracedCall(channels.tool, context, fn);
}

function tracedCall<T, C extends object>(
  channel: diagnosticsChannel.TracingChannel<unknown, C>,
  context: () => C,
  fn: (context: C | undefined) => Promise<T>,
): Promise<T> {
  if (!channel.hasSubscribers) return fn(undefined);
  const ctx = context();
  return channel.tracePromise(() => runInContextOf(ctx, () => fn(ctx)), ctx);
}
