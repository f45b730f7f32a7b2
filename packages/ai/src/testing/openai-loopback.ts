import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { OptionsError } from "@nextgen/core";
import { writeAnswer } from "./openai-loopback-answer.js";
import type { LoopbackReply, LoopbackRequest, OpenAiLoopback, OpenAiLoopbackOptions } from "./openai-loopback-types.js";

const DEFAULT_MAX_BODY_BYTES = 1024 * 1024;

/**
 * The request body, or `"too-large"` as soon as it passes `maxBytes`: the rest is drained
 * and dropped (so the client can finish sending and read the 413), never kept.
 */
function readBody(request: IncomingMessage, maxBytes: number): Promise<Buffer | "too-large"> {
  if (Number(request.headers["content-length"] ?? 0) > maxBytes) {
    request.resume();
    return Promise.resolve("too-large");
  }
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    request.on("data", (chunk: Buffer) => {
      if (size > maxBytes) return;
      size += chunk.length;
      if (size <= maxBytes) chunks.push(chunk);
      else {
        chunks.length = 0;
        resolve("too-large");
      }
    });
    request.on("end", () => {
      if (size <= maxBytes) resolve(Buffer.concat(chunks));
    });
    request.on("error", reject);
  });
}

function parseObject(bytes: Buffer): Record<string, unknown> | undefined {
  try {
    const parsed: unknown = JSON.parse(bytes.toString("utf8"));
    return typeof parsed === "object" && parsed !== null && !Array.isArray(parsed)
      ? (parsed as Record<string, unknown>)
      : undefined;
  } catch {
    return undefined;
  }
}

function fail(response: ServerResponse, status: number, message: string): void {
  response.writeHead(status, { "content-type": "application/json" });
  response.end(JSON.stringify({ error: { message, type: status >= 500 ? "server_error" : "invalid_request_error" } }));
}

/**
 * Starts a scripted OpenAI-compatible chat completions server on `127.0.0.1` (a free port),
 * so a test runs the real provider path (`@ai-sdk/openai-compatible`, or a service configured
 * with `OPENAI_BASE_URL`) over real HTTP, with no network and no key. `POST
 * /v1/chat/completions` answers with the next of `replies`, as JSON or, when the request asks
 * to stream, as server-sent events; every such request is recorded in `requests`. Other paths
 * get 404, a body that is not a JSON object 400, a body over `maxBodyBytes` 413, a request
 * that finds the script empty 500.
 *
 * @example
 * ```ts
 * import { createOpenAICompatible } from "@ai-sdk/openai-compatible";
 * import { modelRegistry } from "@nextgen/ai";
 * import { startOpenAiLoopback } from "@nextgen/ai/testing";
 *
 * const server = await startOpenAiLoopback();
 * server.replies.push({ calls: [{ name: "read-file", arguments: '{"path":".env"}' }] }, { text: "No findings." });
 * const provider = createOpenAICompatible({ name: "loopback", baseURL: server.baseUrl, apiKey: "test-key" });
 * const models = modelRegistry({ reasoning: provider.chatModel("gpt-test") });
 * // … run an agent, then:
 * server.requests[0]?.body.tools; // the tool definitions the model was offered
 * await server.close();
 * ```
 */
export async function startOpenAiLoopback(options: OpenAiLoopbackOptions = {}): Promise<OpenAiLoopback> {
  const maxBodyBytes = options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES;
  if (!Number.isSafeInteger(maxBodyBytes) || maxBodyBytes < 1) {
    throw new OptionsError("options.maxBodyBytes", "must be a positive integer (bytes).");
  }
  const requests: LoopbackRequest[] = [];
  const replies: LoopbackReply[] = [];
  const server = createServer((request, response) => {
    readBody(request, maxBodyBytes).then(
      (bytes) => {
        if (bytes === "too-large") {
          fail(response, 413, `request body over ${maxBodyBytes} bytes`);
          return;
        }
        if (request.method !== "POST" || request.url !== "/v1/chat/completions") {
          fail(response, 404, `no route ${request.method} ${request.url}`);
          return;
        }
        const body = parseObject(bytes);
        if (body === undefined) {
          fail(response, 400, "the body is not a JSON object");
          return;
        }
        requests.push({ body, authorization: request.headers.authorization });
        const reply = replies.shift();
        if (reply === undefined) {
          fail(response, 500, "script exhausted");
          return;
        }
        const model = typeof body.model === "string" ? body.model : "loopback";
        writeAnswer(response, reply, { stream: body.stream === true, n: requests.length, model });
      },
      () => response.destroy(),
    );
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      server.off("error", reject);
      resolve();
    });
  });
  let closed: Promise<void> | undefined;
  return {
    baseUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`,
    requests,
    replies,
    close: () => {
      closed ??= new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      });
      return closed;
    },
  };
}
