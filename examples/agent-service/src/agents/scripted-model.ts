import type {
  LanguageModelV4,
  LanguageModelV4CallOptions,
  LanguageModelV4Content,
  LanguageModelV4StreamPart,
} from "@ai-sdk/provider";

/** How the start banner and `/healthz/ready` name the built-in model. */
export const SCRIPTED_MODEL_LABEL = "scripted (built-in, deterministic: no network, no API key)";

const usage = (input: number, output: number) => ({
  inputTokens: { total: input, noCache: input, cacheRead: undefined, cacheWrite: undefined },
  outputTokens: { total: output, text: output, reasoning: undefined },
});

/** The text of the last user message: what the run was asked about. */
function lastUserText(prompt: LanguageModelV4CallOptions["prompt"]): string {
  for (let index = prompt.length - 1; index >= 0; index--) {
    const message = prompt[index]!;
    if (message.role !== "user") continue;
    return message.content.map((part) => (part.type === "text" ? part.text : "")).join("\n");
  }
  return "";
}

/** How many findings the tool results of the conversation reported, by severity. */
function findingsIn(prompt: LanguageModelV4CallOptions["prompt"]): Map<string, number> {
  const bySeverity = new Map<string, number>();
  for (const message of prompt) {
    if (message.role !== "tool") continue;
    for (const part of message.content) {
      if (part.type !== "tool-result" || part.output.type !== "json" || !Array.isArray(part.output.value)) continue;
      for (const item of part.output.value) {
        const severity = String((item as { severity?: unknown } | null)?.severity ?? "unknown");
        bySeverity.set(severity, (bySeverity.get(severity) ?? 0) + 1);
      }
    }
  }
  return bySeverity;
}

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
 * A deterministic stand-in for a real model, so the service runs model-driven agents
 * offline (development, tests, benchmarks): on its first step it calls every tool it is
 * offered, in order, on the text of the request, then answers with a count of the findings.
 * It sees exactly what a real model would (instructions, tool definitions, tool results)
 * through the same AI SDK calls; only the "thinking" is scripted. Each model call takes
 * `latencyMs` (and stops when the run is cancelled).
 *
 * @example
 * ```ts
 * const model = scriptedModel({ latencyMs: 0 });
 * const kind = aiAgentKind({ models: modelRegistry({ fast: model, reasoning: model }) });
 * ```
 */
export function scriptedModel(options: { latencyMs?: number } = {}): LanguageModelV4 {
  const latencyMs = options.latencyMs ?? 0;
  const generate = async (call: LanguageModelV4CallOptions) => {
    await pause(latencyMs, call.abortSignal);
    const asked = call.prompt.some((message) => message.role === "tool");
    const tools = (call.tools ?? []).filter((tool) => tool.type === "function");
    const promptSize = JSON.stringify(call.prompt).length;
    if (!asked && tools.length > 0) {
      const text = lastUserText(call.prompt);
      const content: LanguageModelV4Content[] = tools.map((tool, index) => ({
        type: "tool-call",
        toolCallId: `call_${index}`,
        toolName: tool.name,
        input: JSON.stringify(tool.name.startsWith("delegate_") ? { task: text } : { text }),
      }));
      return {
        content,
        finishReason: { unified: "tool-calls" as const, raw: "tool_calls" },
        usage: usage(Math.ceil(promptSize / 4), 12 * tools.length),
        warnings: [],
      };
    }
    const bySeverity = findingsIn(call.prompt);
    const total = [...bySeverity.values()].reduce((sum, count) => sum + count, 0);
    const detail = [...bySeverity].map(([severity, count]) => `${count} ${severity}`).join(", ");
    const text = total === 0 ? "No findings." : `${total} finding(s) (${detail}).`;
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
    modelId: "scripted-service",
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
