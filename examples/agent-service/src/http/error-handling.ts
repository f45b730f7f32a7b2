import { NextGenError, UNCODED_ERROR_CODE } from "@nextgen/core";
import type { FastifyError, FastifyInstance } from "fastify";
import { problem, sendProblem } from "./problem.js";
import { traceOf } from "./request-trace.js";
import type { ServiceContext } from "./service-context.js";

const HEALTH = /^\/(healthz\/|metrics$)/;

/**
 * Every error becomes RFC 9457 problem+json with its `NG_ERR_*` code: Fastify's own
 * (body too large, bad media type, schema validation), the SDK's, and unknown ones (500,
 * detail kept in the log under the trace id). Also the 404 of unknown routes and the 503
 * of a draining service.
 */
export function installErrorHandling(app: FastifyInstance, context: ServiceContext): void {
  app.addHook("onRequest", async (request, reply) => {
    if (context.draining() && !HEALTH.test(request.url.slice(0, 16))) {
      reply.header("connection", "close");
      return sendProblem(
        reply,
        problem(
          "NG_ERR_SERVICE_DRAINING",
          "The service is shutting down; retry on another instance.",
          traceOf(request).traceId,
        ),
      );
    }
  });

  app.setNotFoundHandler((request, reply) =>
    sendProblem(
      reply,
      problem(
        "NG_ERR_HTTP_NOT_FOUND",
        `No route ${request.method} ${request.url.split("?")[0]}.`,
        traceOf(request).traceId,
      ),
    ),
  );

  app.setErrorHandler((error: FastifyError, request, reply) => {
    const traceId = traceOf(request).traceId;
    if (error.validation) {
      const errors = error.validation.map((issue) => {
        const missing = (issue.params as { missingProperty?: string; additionalProperty?: string } | undefined) ?? {};
        const leaf = missing.missingProperty ?? missing.additionalProperty;
        const pointer = `/${error.validationContext ?? "body"}${issue.instancePath ?? ""}${leaf === undefined ? "" : `/${leaf}`}`;
        return { pointer, message: issue.message ?? "is invalid" };
      });
      return sendProblem(
        reply,
        problem(
          "NG_ERR_HTTP_INVALID_REQUEST",
          `The request does not match the operation's schema: ${errors.map((issue) => `${issue.pointer} ${issue.message}`).join("; ")}.`,
          traceId,
          { errors },
        ),
      );
    }
    switch (error.code) {
      case "FST_ERR_CTP_BODY_TOO_LARGE":
        return sendProblem(
          reply,
          problem(
            "NG_ERR_HTTP_BODY_TOO_LARGE",
            `The body is larger than ${context.config.bodyLimitBytes} bytes.`,
            traceId,
          ),
        );
      case "FST_ERR_CTP_INVALID_MEDIA_TYPE":
        return sendProblem(
          reply,
          problem("NG_ERR_HTTP_UNSUPPORTED_MEDIA_TYPE", "Send the body as application/json.", traceId),
        );
      case "FST_ERR_CTP_EMPTY_JSON_BODY":
      case "FST_ERR_CTP_INVALID_JSON_BODY":
        return sendProblem(
          reply,
          problem("NG_ERR_HTTP_INVALID_REQUEST", "The body is not valid JSON.", traceId, {
            errors: [{ pointer: "/body", message: "is not valid JSON" }],
          }),
        );
    }
    if ((error as { statusCode?: number }).statusCode === 400 && error.code?.startsWith("FST_ERR_CTP")) {
      return sendProblem(reply, problem("NG_ERR_HTTP_INVALID_REQUEST", error.message, traceId));
    }
    if (NextGenError.is(error)) {
      const body = problem(error.code, error.message, traceId);
      if (body.status >= 500) request.log.error({ err: error }, "request failed");
      return sendProblem(reply, body);
    }
    request.log.error({ err: error }, "unexpected failure");
    return sendProblem(
      reply,
      problem(UNCODED_ERROR_CODE, `Unexpected failure; see the service log for trace ${traceId}.`, traceId),
    );
  });
}
