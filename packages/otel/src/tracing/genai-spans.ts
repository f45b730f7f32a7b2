import type { AgentRunContext, GenAiModelCallContext, GenAiToolCallContext } from "@nextgen/core";
import { GENAI_MODEL_CALL_CHANNEL, GENAI_TOOL_CALL_CHANNEL } from "@nextgen/core";
import type { Span } from "@opentelemetry/api";
import { ATTR } from "./attributes.js";
import { setDefined } from "./compact.js";
import type { SpanSpec } from "./span-channel.js";

/** GenAI attribute names (OpenTelemetry GenAI semantic conventions). @internal */
export const GENAI_ATTR = {
  requestModel: "gen_ai.request.model",
  responseModel: "gen_ai.response.model",
  finishReasons: "gen_ai.response.finish_reasons",
  inputTokens: "gen_ai.usage.input_tokens",
  outputTokens: "gen_ai.usage.output_tokens",
  toolName: "gen_ai.tool.name",
  toolCallId: "gen_ai.tool.call.id",
  toolType: "gen_ai.tool.type",
  inputMessages: "gen_ai.input.messages",
  outputMessages: "gen_ai.output.messages",
  step: "nextgen.genai.step",
  streamed: "nextgen.genai.streamed",
  timeToFirstTokenMs: "nextgen.genai.time_to_first_token_ms",
  toolOutcome: "nextgen.tool.outcome",
  toolRefusal: "nextgen.tool.refusal_code",
} as const;

/**
 * `chat {gen_ai.request.model}`: one model call (one step of a tool loop), a child of
 * `invoke_agent`. Prompt and completion appear only when the kind recorded them (the host
 * opted in with `recordContent`).
 * @internal
 */
export const modelCallSpan: SpanSpec<GenAiModelCallContext> = {
  channel: GENAI_MODEL_CALL_CHANNEL,
  name: (context) => `chat ${context.model}`,
  startAttributes: (context) => ({
    [ATTR.operationName]: "chat",
    [ATTR.providerName]: context.provider,
    [GENAI_ATTR.requestModel]: context.model,
    [ATTR.agentId]: context.instanceId,
    [ATTR.agentName]: context.agentName,
    [ATTR.agentVersion]: context.version,
    [ATTR.templateId]: context.templateId,
    [GENAI_ATTR.step]: context.step,
    [GENAI_ATTR.streamed]: context.streamed,
  }),
  finish: (context, span) => {
    setDefined(span, GENAI_ATTR.responseModel, context.responseModel);
    setDefined(span, GENAI_ATTR.inputTokens, context.inputTokens);
    setDefined(span, GENAI_ATTR.outputTokens, context.outputTokens);
    if (context.finishReason !== undefined) span.setAttribute(GENAI_ATTR.finishReasons, [context.finishReason]);
    setDefined(span, GENAI_ATTR.timeToFirstTokenMs, context.timeToFirstTokenMs);
    const content = context.content;
    if (content !== undefined) {
      if (content.input !== undefined) span.setAttribute(GENAI_ATTR.inputMessages, JSON.stringify(content.input));
      if (content.output !== undefined) span.setAttribute(GENAI_ATTR.outputMessages, JSON.stringify(content.output));
    }
  },
};

/**
 * `execute_tool {gen_ai.tool.name}`: one tool call a model asked for, with its outcome
 * (`ok`, `error`, or `refused` with the refusal code for a call that never ran).
 * @internal
 */
export const toolCallSpan: SpanSpec<GenAiToolCallContext> = {
  channel: GENAI_TOOL_CALL_CHANNEL,
  name: (context) => `execute_tool ${context.toolName}`,
  startAttributes: (context) => ({
    [ATTR.operationName]: "execute_tool",
    [GENAI_ATTR.toolName]: context.toolName,
    [GENAI_ATTR.toolCallId]: context.toolCallId,
    [GENAI_ATTR.toolType]: "function",
    [ATTR.agentId]: context.instanceId,
    [ATTR.agentName]: context.agentName,
    [ATTR.templateId]: context.templateId,
  }),
  finish: (context, span) => {
    setDefined(span, GENAI_ATTR.toolOutcome, context.outcome);
    setDefined(span, GENAI_ATTR.toolRefusal, context.code);
  },
};

/**
 * The GenAI attributes of an `invoke_agent` span run by a model-driven kind: the request
 * model and the run's token usage. Nothing for other kinds.
 * @internal
 */
export function setInvokeGenAiAttributes(context: AgentRunContext, span: Span): void {
  setDefined(span, GENAI_ATTR.requestModel, context.model);
  setDefined(span, GENAI_ATTR.inputTokens, context.inputTokens);
  setDefined(span, GENAI_ATTR.outputTokens, context.outputTokens);
}
