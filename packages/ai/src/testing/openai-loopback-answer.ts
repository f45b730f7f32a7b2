import type { ServerResponse } from "node:http";
import type { LoopbackReply } from "./openai-loopback-types.js";

const USAGE = { prompt_tokens: 21, completion_tokens: 8, total_tokens: 29 };

/**
 * Writes `reply` as OpenAI's chat completions API would: one `chat.completion` JSON body, or,
 * for a streamed request, `chat.completion.chunk` server-sent events (text word by word, each
 * tool call as its name then its arguments) ending in `[DONE]`. Every answer reports the same
 * usage: 21 prompt and 8 completion tokens. `n` numbers the completion and its tool call ids.
 *
 * @example
 * ```ts
 * writeAnswer(response, { text: "No findings." }, { stream: true, n: 1, model: "gpt-test" });
 * ```
 * @internal
 */
export function writeAnswer(
  response: ServerResponse,
  reply: LoopbackReply,
  request: { readonly stream: boolean; readonly n: number; readonly model: string },
): void {
  const { n } = request;
  const toolCalls =
    "calls" in reply
      ? reply.calls.map((call, index) => ({
          id: `call_${n}_${index}`,
          type: "function",
          function: { name: call.name, arguments: call.arguments },
        }))
      : undefined;
  const finish = "calls" in reply ? "tool_calls" : "stop";
  const base = { id: `chatcmpl-${n}`, created: 1_750_000_000, model: request.model };
  if (!request.stream) {
    const message = { role: "assistant", content: "text" in reply ? reply.text : null, tool_calls: toolCalls };
    response.writeHead(200, { "content-type": "application/json" });
    response.end(
      JSON.stringify({
        ...base,
        object: "chat.completion",
        choices: [{ index: 0, message, finish_reason: finish }],
        usage: USAGE,
      }),
    );
    return;
  }
  response.writeHead(200, { "content-type": "text/event-stream", "cache-control": "no-cache" });
  const chunk = (delta: Record<string, unknown>, finishReason: string | null = null) => ({
    ...base,
    object: "chat.completion.chunk",
    choices: [{ index: 0, delta, finish_reason: finishReason }],
  });
  const send = (data: unknown): boolean => response.write(`data: ${JSON.stringify(data)}\n\n`);
  send(chunk({ role: "assistant", content: "" }));
  if ("text" in reply) for (const word of reply.text.split(/(?<= )/)) send(chunk({ content: word }));
  toolCalls?.forEach((call, index) => {
    const { name, arguments: args } = call.function;
    send(chunk({ tool_calls: [{ index, id: call.id, type: "function", function: { name, arguments: "" } }] }));
    send(chunk({ tool_calls: [{ index, function: { arguments: args } }] }));
  });
  send({ ...chunk({}, finish), usage: USAGE });
  response.end("data: [DONE]\n\n");
}
