import { type Context, type SpanContext, TraceFlags, trace } from "@opentelemetry/api";

// W3C Trace Context, written by hand: the API's `propagation` uses the global propagator,
// which is a no-op unless the host registers one, and we never rely on globals.
const TRACEPARENT = /^00-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})$/;

/**
 * Writes the span context of `spanContext` into `carrier` as W3C `traceparent` (and
 * `tracestate` when present). An invalid context (a no-op tracer's) writes nothing.
 * @internal
 */
export function injectTraceparent(spanContext: SpanContext, carrier: Record<string, string>): void {
  if (!trace.isSpanContextValid(spanContext)) return;
  const flags = (spanContext.traceFlags & 0xff).toString(16).padStart(2, "0");
  carrier.traceparent = `00-${spanContext.traceId}-${spanContext.spanId}-${flags}`;
  const state = spanContext.traceState?.serialize();
  if (state) carrier.tracestate = state;
}

/**
 * Reads a W3C `traceparent` from `carrier` into a remote span context on top of `base`;
 * returns `base` unchanged when the header is absent or malformed.
 * @internal
 */
export function extractTraceparent(base: Context, carrier: Record<string, string> | undefined): Context {
  const match = carrier?.traceparent === undefined ? null : TRACEPARENT.exec(carrier.traceparent);
  if (match === null) return base;
  const [, traceId = "", spanId = "", flags = "00"] = match;
  const spanContext: SpanContext = {
    traceId,
    spanId,
    traceFlags: Number.parseInt(flags, 16) & TraceFlags.SAMPLED,
    isRemote: true,
  };
  return trace.isSpanContextValid(spanContext) ? trace.setSpanContext(base, spanContext) : base;
}
