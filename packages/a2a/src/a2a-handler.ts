import type { IncomingMessage, ServerResponse } from "node:http";
import {
  A2A_VERSION_HEADER,
  AgentCard,
  Extensions,
  formatSSEErrorEvent,
  formatSSEEvent,
  HTTP_EXTENSION_HEADER,
  SSE_HEADERS,
} from "@a2a-js/sdk";
import { LegacyJsonRpcTransportHandler } from "@a2a-js/sdk/compat/v0_3/server";
import {
  DefaultRequestHandler,
  defaultServerCallContextBuilder,
  InMemoryTaskStore,
  JsonRpcTransportHandler,
  UnauthenticatedUser,
  validateVersion,
} from "@a2a-js/sdk/server";
import { NextGenError } from "@nextgen/core";
import type { AgentCardJson } from "./agent-card-types.js";
import type { A2aErrorCode } from "./errors/a2a-error-codes.js";
import { readBoundedBody } from "./read-bounded-body.js";
import {
  type A2AAgentFactory,
  type A2AIncomingMessage,
  defaultToText,
  REQUEST_SIGNAL_KEY,
  templateExecutor,
} from "./template-executor.js";

/** Options of {@link a2aHandler}. */
export interface A2AHandlerOptions {
  /** The factory every call creates its agent through (so every call runs a verified template). */
  factory: A2AAgentFactory;
  /** The template the endpoint runs. */
  templateId: string;
  /** The card to serve (usually `await signAgentCard(agentCard(template, { url }), signer)`). */
  card: AgentCardJson;
  /** The agent's task for a message. @default the message's text */
  toTask?: (incoming: A2AIncomingMessage) => unknown;
  /** The reply text for an agent's result. @default a string as is, `result.text`, or JSON */
  toText?: (result: unknown) => string;
  /** Path of the card, below where the handler is mounted. @default "/.well-known/agent-card.json" */
  cardPath?: string;
  /** Path of the JSON-RPC endpoint. @default "/" */
  rpcPath?: string;
  /** Largest request body read, in bytes (bodies are untrusted). @default 1048576 */
  maxBodyBytes?: number;
}

/** A Node HTTP request listener serving one agent over A2A, plus its card. */
export interface A2AHandler {
  (request: IncomingMessage, response: ServerResponse): Promise<void>;
  /** The card served. */
  readonly card: AgentCardJson;
}

function problem(response: ServerResponse, status: number, detail: string): void {
  const error = new NextGenError<A2aErrorCode>("NG_ERR_A2A_REQUEST_INVALID", detail);
  response.writeHead(status, { "content-type": "application/problem+json" });
  response.end(JSON.stringify({ type: "about:blank", title: "Invalid A2A request", status, detail, code: error.code }));
}

function header(request: IncomingMessage, name: string): string | undefined {
  const value = request.headers[name.toLowerCase()];
  return Array.isArray(value) ? value.join(",") : value;
}

/**
 * An A2A endpoint for one template, as a Node request listener (`http.createServer(handler)`,
 * or mounted in Fastify/Express): `GET /.well-known/agent-card.json` serves the card, and
 * JSON-RPC `POST /` runs the agent for `SendMessage` / `SendStreamingMessage` (A2A v1.0,
 * `A2A-Version: 1.0`) and `message/send` / `message/stream` (v0.3, no version header),
 * through `@a2a-js/sdk`'s request handler. Every call creates its agent through the
 * factory, so the template is verified before it runs, and disposes of it afterwards.
 *
 * @example
 * ```ts
 * const card = await signAgentCard(agentCard(template, { url: "http://127.0.0.1:8080/" }), signer);
 * http.createServer(a2aHandler({ factory, templateId: "security/auditor", card })).listen(8080);
 * ```
 */
export function a2aHandler(options: A2AHandlerOptions): A2AHandler {
  if (typeof options?.factory?.create !== "function")
    throw new NextGenError("NG_ERR_OPTIONS_INVALID", "options.factory must be an agent factory");
  if (typeof options.templateId !== "string" || options.templateId === "")
    throw new NextGenError("NG_ERR_OPTIONS_INVALID", "options.templateId must be a template id");
  const maxBodyBytes = options.maxBodyBytes ?? 1024 * 1024;
  if (!Number.isInteger(maxBodyBytes) || maxBodyBytes < 1)
    throw new NextGenError("NG_ERR_OPTIONS_INVALID", "options.maxBodyBytes must be a positive integer");
  const card = options.card;
  const cardJson = JSON.stringify(card);
  const requestHandler = new DefaultRequestHandler(
    AgentCard.fromJSON(card),
    new InMemoryTaskStore(),
    templateExecutor({
      factory: options.factory,
      templateId: options.templateId,
      toTask: options.toTask ?? ((incoming) => incoming.text),
      toText: options.toText ?? defaultToText,
    }),
  );
  const current = new JsonRpcTransportHandler(requestHandler);
  const legacy = new LegacyJsonRpcTransportHandler(requestHandler);
  const cardPath = options.cardPath ?? "/.well-known/agent-card.json";
  const rpcPath = options.rpcPath ?? "/";

  const handler = async (request: IncomingMessage, response: ServerResponse): Promise<void> => {
    const path = new URL(request.url ?? "/", "http://localhost").pathname;
    if (path === cardPath) {
      if (request.method !== "GET" && request.method !== "HEAD")
        return problem(response, 405, "the card is read with GET");
      response.writeHead(200, { "content-type": "application/json" });
      response.end(request.method === "HEAD" ? undefined : cardJson);
      return;
    }
    if (path !== rpcPath) return problem(response, 404, `nothing is served at ${path}`);
    if (request.method !== "POST") return problem(response, 405, "A2A JSON-RPC requests are POSTed");
    const body = await readBoundedBody(request, maxBodyBytes);
    if (body === undefined) return problem(response, 413, `the request body is larger than ${maxBodyBytes} bytes`);
    let parsed: Record<string, unknown>;
    try {
      parsed = JSON.parse(body) as Record<string, unknown>;
    } catch {
      return problem(response, 400, "the request body is not JSON");
    }
    const requestedVersion = header(request, A2A_VERSION_HEADER);
    const useLegacy = (requestedVersion ?? "0.3") === "0.3";
    const mapError = useLegacy
      ? LegacyJsonRpcTransportHandler.mapToLegacyJSONRPCError
      : JsonRpcTransportHandler.mapToJSONRPCError;
    const id = typeof parsed === "object" && parsed !== null ? (parsed.id ?? null) : null;
    const fail = (error: unknown) => ({ jsonrpc: "2.0", id, error: mapError(error) });
    // A caller that goes away before its answer aborts the agent's run (no tokens spent for nobody).
    const gone = new AbortController();
    response.on("close", () => {
      if (!response.writableFinished) gone.abort(new NextGenError("NG_ERR_AGENT_ABORTED", "the A2A caller went away"));
    });
    try {
      const context = defaultServerCallContextBuilder({
        extensions: Extensions.parseServiceParameter(header(request, HTTP_EXTENSION_HEADER)),
        user: new UnauthenticatedUser(),
        headers: request.headers,
        ...(requestedVersion === undefined ? {} : { requestedVersion }),
      });
      context.state.set(REQUEST_SIGNAL_KEY, gone.signal);
      validateVersion(context.requestedVersion, await requestHandler.getAgentCard(), "JSONRPC");
      const result = await (useLegacy ? legacy : current).handle(parsed, context);
      if (typeof (result as AsyncGenerator)[Symbol.asyncIterator] !== "function") {
        response.writeHead(200, { "content-type": "application/json" });
        response.end(JSON.stringify(result));
        return;
      }
      const stream = result as AsyncGenerator<unknown>;
      response.on("close", () => void stream.return(undefined).catch(() => {}));
      response.writeHead(200, SSE_HEADERS);
      try {
        for await (const event of stream) response.write(formatSSEEvent(event));
      } catch (error) {
        if (!response.writableEnded) response.write(formatSSEErrorEvent(fail(error)));
      }
      response.end();
    } catch (error) {
      if (response.headersSent) return void response.end();
      response.writeHead(200, { "content-type": "application/json" });
      response.end(JSON.stringify(fail(error)));
    }
  };
  return Object.assign(handler, { card });
}
