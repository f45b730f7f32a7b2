import type { IncomingMessage } from "node:http";
import type { FastifyRequest } from "fastify";
import { type TraceContext, traceContextOf } from "./trace-context.js";

const traces = new WeakMap<IncomingMessage, TraceContext>();

/** The trace context of a raw request, read from its `traceparent` once. */
export function traceOfRaw(raw: IncomingMessage): TraceContext {
  let trace = traces.get(raw);
  if (!trace) {
    trace = traceContextOf(raw.headers.traceparent);
    traces.set(raw, trace);
  }
  return trace;
}

/** The trace context of a request (the same one its log lines carry). */
export function traceOf(request: FastifyRequest): TraceContext {
  return traceOfRaw(request.raw);
}
