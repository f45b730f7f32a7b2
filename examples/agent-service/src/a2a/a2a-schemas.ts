import { bearer, idParams, json, problems, type RouteSchema } from "../http/schemas.js";

// Route schemas of the A2A endpoints (documented in /openapi.json like the rest of the API).

/** What `@nextgen/a2a`'s handler answers itself (no trace id): a body that is not JSON, too large. */
const handlerProblem = {
  type: "object",
  required: ["type", "title", "status", "detail", "code"],
  properties: {
    type: { type: "string" },
    title: { type: "string" },
    status: { type: "integer", minimum: 400, maximum: 599 },
    detail: { type: "string" },
    code: { type: "string", pattern: "^NG_ERR_[A-Z0-9_]+$" },
  },
};

/** `GET /v1/a2a/trust.json`. */
export const a2aTrustSchema: RouteSchema = {
  operationId: "getA2ACardTrust",
  summary: "The trust policy (public key) that verifies the service's A2A agent cards (needs read)",
  tags: ["a2a"],
  security: bearer,
  response: {
    200: json("A trust.json document: verifyAgentCard(card, it)", {
      type: "object",
      required: ["version", "keys"],
      properties: {
        version: { type: "integer", const: 1 },
        keys: {
          type: "array",
          items: { type: "object", required: ["kty", "kid", "alg"], additionalProperties: true },
        },
      },
      additionalProperties: false,
    }),
    ...problems(401, 403),
  },
};

/** `GET /v1/a2a/{namespace}/{name}/.well-known/agent-card.json`. */
export const a2aCardSchema: RouteSchema = {
  operationId: "getA2AAgentCard",
  summary: "The signed A2A agent card of a template (needs read)",
  tags: ["a2a"],
  security: bearer,
  params: idParams,
  response: {
    200: json("The agent card (A2A v1.0), signed with the card key of /v1/a2a/trust.json", {
      type: "object",
      required: ["name", "description", "version", "supportedInterfaces", "skills", "signatures"],
    }),
    ...problems(401, 403, 404, 422),
  },
};

/** `POST /v1/a2a/{namespace}/{name}`. */
export const a2aMessageSchema: RouteSchema = {
  operationId: "a2aJsonRpc",
  summary:
    "A2A JSON-RPC: SendMessage / SendStreamingMessage (A2A-Version: 1.0), message/send / message/stream (0.3) (needs run)",
  tags: ["a2a"],
  security: bearer,
  params: idParams,
  response: {
    200: {
      description: "A JSON-RPC response, or an event stream for the streaming methods",
      content: {
        "application/json": {
          schema: { type: "object", required: ["jsonrpc", "id"], properties: { jsonrpc: { const: "2.0" } } },
        },
        "text/event-stream": { schema: { type: "string" } },
      },
    },
    400: { description: "Not JSON", content: { "application/problem+json": { schema: handlerProblem } } },
    413: { description: "Body too large", content: { "application/problem+json": { schema: handlerProblem } } },
    ...problems(401, 403, 404, 422),
  },
};
