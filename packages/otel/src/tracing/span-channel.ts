import type { TracedContext } from "@nextgen/core";
import { type Attributes, type Span, SpanKind, SpanStatusCode, type Tracer, trace } from "@opentelemetry/api";
import { errorType } from "../channels/error-type.js";
import { type Settled, subscribeTrace } from "../channels/subscribe-trace.js";
import { ATTR } from "./attributes.js";
import type { ContextStore } from "./context-store.js";

/** How the events of one tracing channel become one span. */
export interface SpanSpec<C extends object> {
  /** Channel name. */
  readonly channel: string;
  /** Span name at start (it may be renamed in `finish`). */
  name(context: C): string;
  /** Attributes known at start. */
  startAttributes(context: C): Attributes;
  /** Runs after the span started, in the caller's context (e.g. to inject a carrier). */
  started?(context: C, span: Span): void;
  /** Adds what is known at completion, before the span ends. */
  finish?(context: Settled<C>, span: Span): void;
}

/** What every span channel shares. */
export interface SpanRuntime {
  readonly tracer: Tracer;
  readonly store: ContextStore;
}

/**
 * Turns a tracing channel into spans. The span starts in the `start` handler, which runs
 * synchronously in the caller's context before the operation, so its parent is the
 * caller's active span. The handler sets the context's `runInContext` hook, through which
 * core runs the operation with a context holding the new span (public `context.with`), so
 * nested operations and the host's own spans inside nest under it.
 * Returns the function that undoes the subscription.
 * @internal
 */
export function traceChannel<C extends TracedContext & object>(spec: SpanSpec<C>, runtime: SpanRuntime): () => void {
  const spans = new WeakMap<object, Span>();
  const start = (context: C): void => {
    const parent = runtime.store.active();
    const span = runtime.tracer.startSpan(
      spec.name(context),
      { kind: SpanKind.INTERNAL, attributes: spec.startAttributes(context) },
      parent,
    );
    // A no-op tracer's span (no SDK, and no span to inherit): nothing to end, nothing to
    // parent on. Leave the operation in the caller's context.
    if (!span.isRecording() && !trace.isSpanContextValid(span.spanContext())) return;
    spans.set(context, span);
    const active = trace.setSpan(parent, span);
    context.runInContext = (fn) => runtime.store.run(active, fn);
    spec.started?.(context, span);
  };
  return subscribeTrace<C>(spec.channel, {
    start,
    finish: (context) => {
      const span = spans.get(context);
      if (span === undefined) return;
      spans.delete(context);
      try {
        // A span the sampler dropped (or a no-op tracer's) records nothing: skip the work.
        if (span.isRecording()) {
          spec.finish?.(context, span);
          if ("error" in context) markError(span, context.error);
        }
      } finally {
        span.end();
      }
    },
  });
}

/**
 * Records a failure on a span the way the OpenTelemetry "recording errors" guidance says:
 * `error.type`, an ERROR status with the message, and the exception event.
 * @internal
 */
export function markError(span: Span, error: unknown, type: string = errorType(error)): void {
  span.setAttribute(ATTR.errorType, type);
  const message = error instanceof Error ? error.message : undefined;
  span.setStatus(message === undefined ? { code: SpanStatusCode.ERROR } : { code: SpanStatusCode.ERROR, message });
  if (error instanceof Error) span.recordException(error);
}
