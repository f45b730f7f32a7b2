import { channel } from "node:diagnostics_channel";
import { AUDIT_CHANNEL, type AuditEvent, type ToolCallAgent } from "@nextgen/core";
import { type LanguageModelUsage, NoSuchToolError, type StepResult, type ToolSet } from "ai";
import type { AiRunResult, AiStep, AiToolCall, AiUsage } from "./ai-types.js";
import type { RunTools } from "./run-tools.js";

const audit = channel(AUDIT_CHANNEL);

/** A result under construction: `finish` sets `output` once the answer is validated. @internal */
export type RunResultDraft = { -readonly [Key in keyof AiRunResult]: AiRunResult[Key] };

/** A tool call under construction: the call part opens it, its result or error settles it. */
type ToolCallDraft = { -readonly [Key in keyof AiToolCall]: AiToolCall[Key] };

/**
 * The run's result from the AI SDK's steps: tool calls named by their registry names, and
 * every call the SDK refused before it reached core (a tool the model was not offered,
 * arguments that are not JSON) published on `nextgen:audit` like core's own refusals.
 * One pass over each step's content, each object built once: this runs once per run, on
 * the tool loop's hot path.
 * @internal
 */
export function runResult(
  steps: readonly StepResult<ToolSet>[],
  tools: RunTools,
  agent: ToolCallAgent,
): RunResultDraft {
  const converted: AiStep[] = [];
  const toolCalls: AiToolCall[] = [];
  let inputTokens: number | undefined;
  let outputTokens: number | undefined;
  let totalTokens: number | undefined;
  let text = "";
  for (const step of steps) {
    const done = convertStep(step, tools, agent, toolCalls);
    converted.push(done);
    text = done.text;
    // A total is reported when any step reported its part (undefined only when none did).
    const usage = done.usage;
    if (usage.inputTokens !== undefined) inputTokens = (inputTokens ?? 0) + usage.inputTokens;
    if (usage.outputTokens !== undefined) outputTokens = (outputTokens ?? 0) + usage.outputTokens;
    if (usage.totalTokens !== undefined) totalTokens = (totalTokens ?? 0) + usage.totalTokens;
  }
  return {
    text,
    output: undefined,
    steps: converted,
    toolCalls,
    usage: { inputTokens, outputTokens, totalTokens },
    finishReason: steps.at(-1)?.finishReason ?? "other",
  };
}

/** One step, its tool calls also appended to `all` (the run's calls, in order). */
function convertStep(step: StepResult<ToolSet>, tools: RunTools, agent: ToolCallAgent, all: AiToolCall[]): AiStep {
  const calls: ToolCallDraft[] = [];
  // The step's text as the SDK's `step.text` joins it, without its per-read arrays.
  let text = "";
  for (const part of step.content) {
    if (part.type === "text") {
      text += part.text;
      continue;
    }
    if (part.type !== "tool-call" && part.type !== "tool-result" && part.type !== "tool-error") continue;
    let call = find(calls, part.toolCallId);
    if (call === undefined) {
      const toolName = tools.names.fromProvider(part.toolName) ?? part.toolName;
      const delegate = tools.delegateOf(toolName);
      call =
        delegate === undefined
          ? { toolName, toolCallId: part.toolCallId, input: part.input }
          : { toolName, delegate, toolCallId: part.toolCallId, input: part.input };
      calls.push(call);
    }
    if (part.type === "tool-result") call.output = part.output;
    else if (part.type === "tool-error") call.error ??= messageOf(part.error);
    else {
      // The SDK refuses a call it cannot route or parse before any tool sees it: a name the
      // model was not offered, arguments that are not JSON. Audited like core's refusals.
      const invalid = part as { invalid?: boolean; error?: unknown };
      if (invalid.invalid === true) {
        const code = NoSuchToolError.isInstance(invalid.error) ? "NG_ERR_TOOL_UNKNOWN" : "NG_ERR_TOOL_INPUT_INVALID";
        call.error = messageOf(invalid.error);
        publishRefusal(agent, call.toolName, code, call.error);
      }
    }
  }
  for (const call of calls) all.push(call);
  return { text, toolCalls: calls, finishReason: step.finishReason, usage: usageOf(step.usage) };
}

/** The call with `toolCallId`: a step has a handful, so a scan beats a map. */
function find(calls: readonly ToolCallDraft[], toolCallId: string): ToolCallDraft | undefined {
  for (const call of calls) if (call.toolCallId === toolCallId) return call;
  return undefined;
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : typeof error === "string" ? error : JSON.stringify(error);
}

function publishRefusal(agent: ToolCallAgent, tool: string, code: string, message: string): void {
  if (!audit.hasSubscribers) return;
  const event: AuditEvent = {
    type: "tool.call",
    time: Date.now(),
    templateId: agent.templateId,
    version: agent.version,
    digest: agent.digest as AuditEvent["digest"],
    verdict: "refused",
    reason: code,
    detail: { tool, message, instanceId: agent.id },
  };
  audit.publish(event);
}

function usageOf(usage: LanguageModelUsage): AiUsage {
  return { inputTokens: usage.inputTokens, outputTokens: usage.outputTokens, totalTokens: usage.totalTokens };
}
