// Test support: a scripted OpenAI-compatible chat completions server on loopback (the same
// wire format as packages/ai/src/openai-compatible.e2e.test.ts), so that the service's real
// model path (`OPENAI_API_KEY` + `OPENAI_BASE_URL`, @ai-sdk/openai-compatible) is what runs.
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

/** One scripted reply: assistant text, or tool calls with JSON arguments. */
export type LoopbackReply = { text: string } | { calls: { name: string; arguments: string }[] };

/** A running loopback server: what it was asked, and what it answers next. */
export interface OpenAiLoopback {
  /** `OPENAI_BASE_URL` for the service (ends in `/v1`). */
  baseUrl: string;
  /** Every chat completions request body received, in order, and its `authorization` header. */
  requests: { body: Record<string, unknown>; authorization: string | undefined }[];
  /** Replies still to send, first first; an empty script answers with an error (500). */
  replies: LoopbackReply[];
  close(): Promise<void>;
}

const USAGE = { prompt_tokens: 21, completion_tokens: 8, total_tokens: 29 };

async function readJson(request: IncomingMessage): Promise<Record<string, unknown>> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request) {
    size += (chunk as Buffer).length;
    if (size > 1_000_000) throw new Error("request too large");
    chunks.push(chunk as Buffer);
  }
  return JSON.parse(Buffer.concat(chunks).toString("utf8")) as Record<string, unknown>;
}

function answer(response: ServerResponse, reply: LoopbackReply, stream: boolean, n: number): void {
  const toolCalls =
    "calls" in reply
      ? reply.calls.map((call, index) => ({
          id: `call_${n}_${index}`,
          type: "function",
          function: { name: call.name, arguments: call.arguments },
        }))
      : undefined;
  const finish = "calls" in reply ? "tool_calls" : "stop";
  const base = { id: `chatcmpl-${n}`, created: 1_750_000_000, model: "loopback-gpt" };
  if (!stream) {
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

/**
 * Starts the scripted server on 127.0.0.1, port 0.
 *
 * @example
 * ```ts
 * const model = await startOpenAiLoopback();
 * model.replies.push({ text: "No findings." });
 * const api = await startHarness({ OPENAI_API_KEY: "test-key", OPENAI_BASE_URL: model.baseUrl });
 * ```
 */
export async function startOpenAiLoopback(): Promise<OpenAiLoopback> {
  const requests: OpenAiLoopback["requests"] = [];
  const replies: LoopbackReply[] = [];
  const server = createServer((request, response) => {
    readJson(request).then(
      (body) => {
        if (request.method !== "POST" || request.url !== "/v1/chat/completions") {
          response.writeHead(404).end();
          return;
        }
        requests.push({ body, authorization: request.headers.authorization });
        const reply = replies.shift();
        if (reply === undefined) {
          response.writeHead(500, { "content-type": "application/json" });
          response.end(JSON.stringify({ error: { message: "script exhausted", type: "server_error" } }));
          return;
        }
        answer(response, reply, body.stream === true, requests.length);
      },
      () => response.writeHead(400).end(),
    );
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    baseUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`,
    requests,
    replies,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
