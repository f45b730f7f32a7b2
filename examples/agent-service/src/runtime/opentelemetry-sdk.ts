import { createNoopMeter, metrics, ProxyTracerProvider, trace } from "@opentelemetry/api";

const PROBE_SCOPE = "@example/agent-service";

/**
 * Whether an OpenTelemetry SDK registered a global tracer or meter provider (for example
 * with `node --import ./otel.mjs …`). Without one, the API's providers are no-ops: every
 * span would be non-recording and every metric dropped, so subscribing `instrument()` to
 * core's channels would only cost each request its spans and an `AsyncLocalStorage` (whose
 * promise hooks tax every promise of the process on Node 22) for nothing. The incoming
 * `traceparent` still sets the trace id of every log line and audit record either way.
 *
 * Read once at start: register the SDK before the service starts, as the OpenTelemetry Node
 * SDK's `--import` set-up does.
 *
 * @example
 * ```ts
 * const tracing = openTelemetryRegistered() ? instrument() : undefined;
 * ```
 */
export function openTelemetryRegistered(): boolean {
  const tracerProvider = trace.getTracerProvider();
  // The API's own proxy delegates to nothing until an SDK registers; any other provider (or
  // another copy of the API's proxy) is a registered one.
  const tracing =
    !(tracerProvider instanceof ProxyTracerProvider) || tracerProvider.getDelegateTracer(PROBE_SCOPE) !== undefined;
  const metering = metrics.getMeterProvider().getMeter(PROBE_SCOPE) !== createNoopMeter();
  return tracing || metering;
}
