// Test helpers (not exported from the package): a scripted AI SDK mock model.
import type { LanguageModelV4CallOptions, LanguageModelV4Content, LanguageModelV4StreamPart } from "@ai-sdk/provider";
import { convertArrayToReadableStream, MockLanguageModelV4 } from "ai/test";

/** One model reply: text, or tool calls (provider names, arguments as objects or raw strings). */
export type Turn = { text: string } | { calls: { name: string; input: unknown }[] };

const usage = (input: number, output: number) => ({
  inputTokens: { total: input, noCache: input, cacheRead: undefined, cacheWrite: undefined },
  outputTokens: { total: output, text: output, reasoning: undefined },
});

/** A mock model that replies with `turns` in order (the last one repeats), recording each call's options. */
export function scriptedModel(
  turns: readonly Turn[],
  options: { onStreamPart?: (index: number) => Promise<void> } = {},
): { model: MockLanguageModelV4; calls: LanguageModelV4CallOptions[] } {
  const calls: LanguageModelV4CallOptions[] = [];
  let next = 0;
  const take = (callOptions: LanguageModelV4CallOptions): Turn => {
    calls.push(callOptions);
    return turns[Math.min(next++, turns.length - 1)]!;
  };
  const content = (turn: Turn): LanguageModelV4Content[] =>
    "text" in turn
      ? [{ type: "text", text: turn.text }]
      : turn.calls.map((call, index) => ({
          type: "tool-call",
          toolCallId: `call-${next}-${index}`,
          toolName: call.name,
          input: typeof call.input === "string" ? call.input : JSON.stringify(call.input),
        }));
  const finishReason = (turn: Turn) =>
    "text" in turn
      ? ({ unified: "stop", raw: "stop" } as const)
      : ({ unified: "tool-calls", raw: "tool_calls" } as const);
  const model = new MockLanguageModelV4({
    provider: "scripted",
    modelId: "scripted-1",
    doGenerate: async (callOptions) => {
      const turn = take(callOptions);
      return { content: content(turn), finishReason: finishReason(turn), usage: usage(10, 5), warnings: [] };
    },
    doStream: async (callOptions) => {
      const turn = take(callOptions);
      const parts: LanguageModelV4StreamPart[] = [{ type: "stream-start", warnings: [] }];
      if ("text" in turn) {
        parts.push({ type: "text-start", id: "t" });
        for (const word of turn.text.split(/(?<= )/)) parts.push({ type: "text-delta", id: "t", delta: word });
        parts.push({ type: "text-end", id: "t" });
      } else {
        for (const part of content(turn)) parts.push(part as LanguageModelV4StreamPart);
      }
      parts.push({ type: "finish", finishReason: finishReason(turn), usage: usage(10, 5) });
      const hook = options.onStreamPart;
      if (hook === undefined) return { stream: convertArrayToReadableStream(parts) };
      let index = 0;
      return {
        stream: new ReadableStream<LanguageModelV4StreamPart>({
          async pull(controller) {
            if (index >= parts.length) return controller.close();
            await hook(index);
            controller.enqueue(parts[index++]!);
          },
        }),
      };
    },
  });
  return { model, calls };
}
