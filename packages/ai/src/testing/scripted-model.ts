import type {
  LanguageModelV4,
  LanguageModelV4CallOptions,
  LanguageModelV4Content,
  LanguageModelV4StreamPart,
} from "@ai-sdk/provider";
import type { ScriptedModelOptions, ScriptedToolResult } from "./scripted-model-options.js";

type Prompt = LanguageModelV4CallOptions["prompt"];

const usage = (input: number, output: number) => ({
  inputTokens: { total: input, noCache: input, cacheRead: undefined, cacheWrite: undefined },
  outputTokens: { total: output, text: output, reasoning: undefined },
});

function lastUserText(prompt: Prompt): string {
  for (let index = prompt.length - 1; index >= 0; index--) {
    const message = prompt[index]!;
    if (message.role !== "user") continue;
    return message.content.map((part) => (part.type === "text" ? part.text : "")).join("\n");
  }
  return "";
}

function toolResults(prompt: Prompt): ScriptedToolResult[] {
  const results: ScriptedToolResult[] = [];
  for (const message of prompt) {
    if (message.role !== "tool") continue;
    for (const part of message.content) {
      if (part.type !== "tool-result") continue;
      if (part.output.type === "json" || part.output.type === "text")
        results.push({ toolName: part.toolName, output: part.output.value });
    }
  }
  return results;
}

/** The default answer: findings (`severity` members of array results) counted by severity. */
function countFindings(results: readonly ScriptedToolResult[]): string {
  const bySeverity = new Map<string, number>();
  for (const { output } of results) {
    if (!Array.isArray(output)) continue;
    for (const item of output) {
      const severity = String((item as { severity?: unknown } | null)?.severity ?? "unknown");
      bySeverity.set(severity, (bySeverity.get(severity) ?? 0) + 1);
    }
  }
  const total = [...bySeverity.values()].reduce((sum, count) => sum + count, 0);
  const detail = [...bySeverity].map(([severity, count]) => `${count} ${severity}`).join(", ");
  return total === 0 ? "No findings." : `${total} finding(s) (${detail}).`;
}

const defaultToolInput = (toolName: string, request: string): unknown =>
  toolName.startsWith("delegate_") ? { task: request } : { text: request };

function pause(ms: number, signal: AbortSignal | undefined): Promise<void> {
  if (ms <= 0) return Promise.resolve();
  return new Promise((resolve, reject) => {
    signal?.throwIfAborted();
    const onAbort = (): void => {
      clearTimeout(timer);
      reject(signal?.reason);
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    signal?.addEventListener("abort", onAbort, { once: true });
  });
}

/**
 * A deterministic stand-in for a real model, so model-driven agents run offline (demos,
 * development, tests, benchmarks): on its first step it calls every tool it is offered, in
 * order, then answers from the tool results. It sees exactly what a real model would
 * (instructions, tool definitions, tool results) through the same AI SDK calls; only the
 * "thinking" is scripted, by `toolInput` and `answer`. Both generate and stream.
 *
 * @example
 * ```ts
 * import { aiAgentKind, modelRegistry } from "@nextgen/ai";
 * import { scriptedModel } from "@nextgen/ai/testing";
 *
 * const model = scriptedModel({ latencyMs: 0 });
 * const kind = aiAgentKind({ models: modelRegistry({ fast: model, reasoning: model }) });
 * ```
 */
export function scriptedModel(options: ScriptedModelOptions = {}): LanguageModelV4 {
  const latencyMs = options.latencyMs ?? 0;
  const toolInput = options.toolInput ?? defaultToolInput;
  const answer = options.answer ?? countFindings;
  const generate = async (call: LanguageModelV4CallOptions) => {
    await pause(latencyMs, call.abortSignal);
    const asked = call.prompt.some((message) => message.role === "tool");
    const tools = (call.tools ?? []).filter((tool) => tool.type === "function");
    const promptSize = JSON.stringify(call.prompt).length;
    if (!asked && tools.length > 0) {
      const request = lastUserText(call.prompt);
      const content: LanguageModelV4Content[] = tools.map((tool, index) => ({
        type: "tool-call",
        toolCallId: `call_${index}`,
        toolName: tool.name,
        input: JSON.stringify(toolInput(tool.name, request)),
      }));
      return {
        content,
        finishReason: { unified: "tool-calls" as const, raw: "tool_calls" },
        usage: usage(Math.ceil(promptSize / 4), 12 * tools.length),
        warnings: [],
      };
    }
    const text = answer(toolResults(call.prompt));
    return {
      content: [{ type: "text" as const, text }],
      finishReason: { unified: "stop" as const, raw: "stop" },
      usage: usage(Math.ceil(promptSize / 4), Math.ceil(text.length / 4)),
      warnings: [],
    };
  };
  return {
    specificationVersion: "v4",
    provider: "scripted",
    modelId: options.modelId ?? "scripted",
    supportedUrls: {},
    doGenerate: generate,
    doStream: async (call) => {
      const result = await generate(call);
      const stream = new ReadableStream<LanguageModelV4StreamPart>({
        start(controller) {
          controller.enqueue({ type: "stream-start", warnings: [] });
          for (const part of result.content) {
            if (part.type === "text") {
              controller.enqueue({ type: "text-start", id: "t" });
              controller.enqueue({ type: "text-delta", id: "t", delta: part.text });
              controller.enqueue({ type: "text-end", id: "t" });
            } else controller.enqueue(part as LanguageModelV4StreamPart);
          }
          controller.enqueue({ type: "finish", finishReason: result.finishReason, usage: result.usage });
          controller.close();
        },
      });
      return { stream };
    },
  };
}
