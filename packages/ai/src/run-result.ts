import { channel } from "node:diagnostics_channel";
import { AUDIT_CHANNEL, type AuditEvent, type ToolCallAgent } from "@nextgen/core";
import { type LanguageModelUsage, NoSuchToolError, type StepResult, type ToolSet } from "ai";
import type { AiRunResult, AiStep, AiToolCall, AiUsage } from "./ai-types.js";
import type { RunTools } from "./run-tools.js";

const audit = channel(AUDIT_CHANNEL);

/**
 * The run's result from the AI SDK's steps: tool calls named by their registry names, and
 * every call the SDK refused before it reached core (a tool the model was not offered,
 * arguments that are not JSON) published on `nextgen:audit` like core's own refusals.
 * @internal
 */
export function runResult(
  steps: readonly StepResult<ToolSet>[],
  tools: RunTools,
  agent: ToolCallAgent,
): Omit<AiRunResult, "output"> {
  const converted: AiStep[] = [];
  const toolCalls: AiToolCall[] = [];
  let inputTokens: number | undefined;
  let outputTokens: number | undefined;
  let totalTokens: number | undefined;
  for (const step of steps) {
    const done = convertStep(step, tools, agent);
    converted.push(done);
    for (const call of done.toolCalls) toolCalls.push(call);
    // A total is reported when any step reported its part (undefined only when none did).
    const usage = done.usage;
    if (usage.inputTokens !== undefined) inputTokens = (inputTokens ?? 0) + usage.inputTokens;
    if (usage.outputTokens !== undefined) outputTokens = (outputTokens ?? 0) + usage.outputTokens;
    if (usage.totalTokens !== undefined) totalTokens = (totalTokens ?? 0) + usage.totalTokens;
  }
  const last = steps.at(-1);
  return {
    text: last?.text ?? "",
    steps: converted,
    toolCalls,
    usage: { inputTokens, outputTokens, totalTokens },
    finishReason: last?.finishReason ?? "other",
  };
}

function convertStep(step: StepResult<ToolSet>, tools: RunTools, agent: ToolCallAgent): AiStep {
  const calls = new Map<string, AiToolCall>();
  for (const part of step.content) {
    if (part.type !== "tool-call" && part.type !== "tool-result" && part.type !== "tool-error") continue;
    const toolName = tools.names.fromProvider(part.toolName) ?? part.toolName;
    const delegate = tools.delegateOf(toolName);
    const base: AiToolCall = calls.get(part.toolCallId) ?? {
      toolName,
      ...(delegate === undefined ? {} : { delegate }),
      toolCallId: part.toolCallId,
      input: part.input,
    };
    if (part.type === "tool-result") calls.set(part.toolCallId, { ...base, output: part.output });
    else if (part.type === "tool-error") {
      calls.set(part.toolCallId, { ...base, error: base.error ?? messageOf(part.error) });
    } else {
      // The SDK refuses a call it cannot route or parse before any tool sees it: a name the
      // model was not offered, arguments that are not JSON. Audited like core's refusals.
      const invalid = part as { invalid?: boolean; error?: unknown };
      if (invalid.invalid === true) {
        const code = NoSuchToolError.isInstance(invalid.error) ? "NG_ERR_TOOL_UNKNOWN" : "NG_ERR_TOOL_INPUT_INVALID";
        calls.set(part.toolCallId, { ...base, error: messageOf(invalid.error) });
        publishRefusal(agent, toolName, code, messageOf(invalid.error));
      } else calls.set(part.toolCallId, base);
    }
  }
  return {
    text: step.text,
    toolCalls: [...calls.values()],
    finishReason: step.finishReason,
    usage: usageOf(step.usage),
  };
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
