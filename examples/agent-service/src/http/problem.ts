import type { ErrorCode } from "@nextgen/core";
import type { FastifyReply } from "fastify";

/** An RFC 9457 problem details body, with the `NG_ERR_*` code and the trace id. */
export interface Problem {
  type: string;
  title: string;
  status: number;
  detail: string;
  code: string;
  traceId: string;
  instance?: string;
  errors?: { pointer: string; message: string }[];
}

const TITLES: Record<number, string> = {
  400: "Bad Request",
  401: "Unauthorized",
  403: "Forbidden",
  404: "Not Found",
  409: "Conflict",
  413: "Content Too Large",
  415: "Unsupported Media Type",
  422: "Unprocessable Content",
  500: "Internal Server Error",
  502: "Bad Gateway",
  503: "Service Unavailable",
  504: "Gateway Timeout",
};

/** The HTTP status of each SDK code the service can meet; others are 500. */
const STATUS_OF: Partial<Record<string, number>> = {
  NG_ERR_AUTH_MISSING: 401,
  NG_ERR_AUTH_INVALID: 401,
  NG_ERR_AUTH_FORBIDDEN: 403,
  NG_ERR_HTTP_NOT_FOUND: 404,
  NG_ERR_RUN_NOT_FOUND: 404,
  NG_ERR_TEMPLATE_NOT_FOUND: 404,
  NG_ERR_HTTP_BODY_TOO_LARGE: 413,
  NG_ERR_HTTP_UNSUPPORTED_MEDIA_TYPE: 415,
  NG_ERR_HTTP_INVALID_REQUEST: 422,
  NG_ERR_TOOL_UNKNOWN: 409,
  NG_ERR_FACTORY_KIND_UNKNOWN: 409,
  NG_ERR_AGENT_ABORTED: 409,
  NG_ERR_AGENT_RUN_FAILED: 502,
  NG_ERR_AGENT_TIMEOUT: 504,
  NG_ERR_SERVICE_DRAINING: 503,
  NG_ERR_RUN_STORE_UNAVAILABLE: 503,
  NG_ERR_FACTORY_CLOSED: 503,
};

/** The status of a coded error: signature and template refusals are 409 (the template exists but may not be used). */
export function statusOf(code: string): number {
  const known = STATUS_OF[code];
  if (known !== undefined) return known;
  if (code.startsWith("NG_ERR_SIGNATURE_") || code.startsWith("NG_ERR_TEMPLATE_") || code.startsWith("NG_ERR_TRUST_"))
    return 409;
  return 500;
}

/** Builds a problem body. */
export function problem(
  code: ErrorCode | string,
  detail: string,
  traceId: string,
  extra: Partial<Problem> = {},
): Problem {
  const status = extra.status ?? statusOf(code);
  return {
    type: `https://nextgen.dev/errors/${code}`,
    title: TITLES[status] ?? "Error",
    status,
    detail,
    code,
    traceId,
    ...extra,
  };
}

/** Sends a problem as `application/problem+json`. */
export function sendProblem(reply: FastifyReply, body: Problem): FastifyReply {
  if (body.status === 401) reply.header("www-authenticate", 'Bearer realm="nextgen"');
  return reply.code(body.status).type("application/problem+json").send(body);
}
