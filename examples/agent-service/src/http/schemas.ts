/** A route schema (Fastify's, with the OpenAPI extras `operationId`, `summary`, `tags`, `security`). */
export type RouteSchema = Readonly<Record<string, unknown>>;

// Route schemas: the single source of request validation, response serialisation and the
// OpenAPI document (`/openapi.json`). Inlined (no $ref) so each operation reads on its own.

const nullable = (type: string): RouteSchema => ({ type: [type, "null"] });

/** RFC 9457 problem details with the `NG_ERR_*` code. */
export const problemSchema: RouteSchema = {
  type: "object",
  required: ["type", "title", "status", "detail", "code", "traceId"],
  properties: {
    type: { type: "string", format: "uri" },
    title: { type: "string" },
    status: { type: "integer", minimum: 400, maximum: 599 },
    detail: { type: "string" },
    code: { type: "string", pattern: "^NG_ERR_[A-Z0-9_]+$" },
    traceId: { type: "string", pattern: "^[0-9a-f]{32}$" },
    instance: { type: "string" },
    errors: {
      type: "array",
      items: {
        type: "object",
        required: ["pointer", "message"],
        properties: { pointer: { type: "string" }, message: { type: "string" } },
        additionalProperties: false,
      },
    },
  },
  additionalProperties: false,
};

/** A problem response of the given statuses. */
export function problems(...statuses: number[]): Record<number, unknown> {
  const responses: Record<number, unknown> = {};
  for (const status of statuses) {
    responses[status] = {
      description: `Problem details (${status})`,
      content: { "application/problem+json": { schema: problemSchema } },
    };
  }
  return responses;
}

/** A JSON response of an operation, for its `response` map. */
export const json = (description: string, schema: unknown): RouteSchema => ({
  description,
  content: { "application/json": { schema } },
});

const templateVersion = {
  type: "object",
  required: ["id", "version", "digest", "signers"],
  properties: {
    id: { type: "string" },
    version: { type: "string" },
    digest: { type: "string", pattern: "^sha256:[0-9a-f]{64}$" },
    signers: { type: "array", items: { type: "string" }, description: "Key ids whose signatures were accepted." },
  },
  additionalProperties: false,
};

/** `{namespace}/{name}` path parameters of a template id. */
export const idParams: RouteSchema = {
  type: "object",
  required: ["namespace", "name"],
  properties: {
    namespace: { type: "string", pattern: "^[a-z0-9-]{1,64}$" },
    name: { type: "string", pattern: "^[a-z0-9-]{1,64}$" },
  },
  additionalProperties: false,
};

const runIdParams = {
  type: "object",
  required: ["runId"],
  properties: { runId: { type: "string", format: "uuid" } },
  additionalProperties: false,
};

const runRecord = {
  type: "object",
  required: ["runId", "templateId", "version", "digest", "status", "createdAt", "finishedAt"],
  properties: {
    runId: { type: "string", format: "uuid" },
    templateId: { type: "string" },
    version: nullable("string"),
    digest: nullable("string"),
    status: { type: "string", enum: ["running", "succeeded", "failed", "cancelled"] },
    createdAt: { type: "string", format: "date-time" },
    finishedAt: nullable("string"),
    result: { description: "The agent's answer, once succeeded." },
    error: {
      type: "object",
      required: ["code", "detail"],
      properties: { code: { type: "string" }, detail: { type: "string" } },
      additionalProperties: false,
    },
  },
  additionalProperties: false,
};

/** The operation needs a bearer token. */
export const bearer: { bearer: string[] }[] = [{ bearer: [] }];

/** `GET /v1/templates`. */
export const listTemplatesSchema: RouteSchema = {
  operationId: "listTemplates",
  summary: "Every verified template version (needs read)",
  tags: ["templates"],
  security: bearer,
  response: {
    200: json("Verified templates the caller may read", {
      type: "object",
      required: ["templates"],
      properties: { templates: { type: "array", items: templateVersion } },
      additionalProperties: false,
    }),
    ...problems(401, 403),
  },
};

/** `GET /v1/templates/{namespace}/{name}`. */
export const getTemplateSchema: RouteSchema = {
  operationId: "getTemplate",
  summary: "The verified versions of one template (needs read)",
  tags: ["templates"],
  security: bearer,
  params: idParams,
  response: {
    200: json("Its verified versions, highest last", {
      type: "object",
      required: ["id", "versions"],
      properties: { id: { type: "string" }, versions: { type: "array", items: templateVersion } },
      additionalProperties: false,
    }),
    ...problems(401, 403, 404, 422),
  },
};

/** `POST /v1/agents/{namespace}/{name}/runs`. */
export const createRunSchema: RouteSchema = {
  operationId: "createRun",
  summary: "Create a verified agent and run it (needs run)",
  description:
    "Answers 200 with the result; with `Accept: text/event-stream` streams a `run` event, the agent's events as they happen (`text-delta`, `tool-call`, `tool-result`, `tool-error`, `step-finish`, `retry`), then one `result` (or `error`) event; with `?async=true` answers 202 at once (poll `GET /v1/runs/{runId}`).",
  tags: ["runs"],
  security: bearer,
  params: idParams,
  querystring: {
    type: "object",
    properties: { async: { type: "boolean", default: false } },
    additionalProperties: false,
  },
  body: {
    type: "object",
    required: ["input"],
    properties: {
      input: { description: "The task: a string or any JSON value (its JSON text is length-limited)." },
      version: {
        type: "string",
        pattern: "^(0|[1-9][0-9]*)\\.(0|[1-9][0-9]*)\\.(0|[1-9][0-9]*)(-[0-9A-Za-z.-]+)?(\\+[0-9A-Za-z.-]+)?$",
      },
    },
    additionalProperties: false,
  },
  response: {
    200: {
      description: "The run's result (JSON), or its events (SSE)",
      content: {
        "application/json": {
          schema: {
            type: "object",
            required: ["runId", "result"],
            properties: { runId: { type: "string", format: "uuid" }, result: {} },
            additionalProperties: false,
          },
        },
        "text/event-stream": { schema: { type: "string" } },
      },
    },
    202: json("Accepted: running in the background", {
      type: "object",
      required: ["runId"],
      properties: { runId: { type: "string", format: "uuid" } },
      additionalProperties: false,
    }),
    ...problems(401, 403, 404, 409, 413, 415, 422, 500, 502, 503, 504),
  },
};

/** `GET /v1/runs/{runId}`. */
export const getRunSchema: RouteSchema = {
  operationId: "getRun",
  summary: "A run's status and result (needs read on its template)",
  tags: ["runs"],
  security: bearer,
  params: runIdParams,
  response: { 200: json("The run", runRecord), ...problems(401, 403, 404, 422) },
};

/** `DELETE /v1/runs/{runId}`. */
export const cancelRunSchema: RouteSchema = {
  operationId: "cancelRun",
  summary: "Cancel a run (needs run on its template)",
  tags: ["runs"],
  security: bearer,
  params: runIdParams,
  response: { 202: json("Cancellation requested; the run as it stands", runRecord), ...problems(401, 403, 404, 422) },
};

/** `POST /v1/admin/reload`. */
export const reloadSchema: RouteSchema = {
  operationId: "reload",
  summary: "Re-read templates and trust, verify them, swap in a new factory (needs admin)",
  tags: ["admin"],
  security: bearer,
  response: {
    200: json("What the new factory loaded", {
      type: "object",
      required: ["loaded", "failed"],
      properties: {
        loaded: { type: "array", items: { type: "string" } },
        failed: {
          type: "array",
          items: {
            type: "object",
            required: ["id", "code", "message"],
            properties: { id: { type: "string" }, code: { type: "string" }, message: { type: "string" } },
            additionalProperties: false,
          },
        },
      },
      additionalProperties: false,
    }),
    ...problems(401, 403, 500, 503),
  },
};

const component = {
  type: "object",
  required: ["name", "status"],
  properties: {
    name: { type: "string" },
    status: { type: "string", enum: ["healthy", "degraded", "unhealthy"] },
    reason: { type: "string" },
  },
  additionalProperties: false,
};

const health = {
  type: "object",
  required: ["status", "components"],
  properties: {
    status: { type: "string", enum: ["ready", "not-ready", "live"] },
    components: { type: "array", items: component },
  },
  additionalProperties: false,
};

/** `GET /healthz/live`. */
export const liveSchema: RouteSchema = {
  operationId: "live",
  summary: "The process answers",
  tags: ["health"],
  response: { 200: json("Alive", health) },
};

/** `GET /healthz/ready`. */
export const readySchema: RouteSchema = {
  operationId: "ready",
  summary: "Ready for traffic: not draining, trust and state usable, audit log writable",
  tags: ["health"],
  response: { 200: json("Ready", health), 503: json("Not ready (draining, or a component is unhealthy)", health) },
};

/** `GET /metrics`. */
export const metricsSchema: RouteSchema = {
  operationId: "metrics",
  summary: "Prometheus metrics (text exposition format)",
  tags: ["health"],
  response: { 200: { description: "Metrics", content: { "text/plain": { schema: { type: "string" } } } } },
};
