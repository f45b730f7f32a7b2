import { OptionsError } from "@nextgen/core";
import { type MeterProvider, metrics, type TracerProvider, trace } from "@opentelemetry/api";
import { subscribeGenAiMetrics } from "./metrics/genai-metrics.js";
import { otelMetricSink } from "./metrics/otel-metric-sink.js";
import { isPoolStatsSources, type PoolStatsSource } from "./metrics/pool-stats-source.js";
import { subscribeMetrics } from "./metrics/subscribe-metrics.js";
import { isTrustExpirySource, type TrustExpirySource } from "./metrics/trust-expiry-source.js";
import { createAgentSpan, invokeAgentSpan, withProvider } from "./tracing/agent-spans.js";
import { traceCache } from "./tracing/cache-spans.js";
import { createContextStore } from "./tracing/context-store.js";
import { codecDecodeSpan, templateResolveSpan, trustVerifySpan } from "./tracing/control-plane-spans.js";
import { modelCallSpan, toolCallSpan } from "./tracing/genai-spans.js";
import { poolTaskSpan } from "./tracing/pool-spans.js";
import { type SpanRuntime, traceChannel } from "./tracing/span-channel.js";

/**
 * Name and version this package reports as its instrumentation scope (the meter and tracer
 * name), for views and filters in the host's SDK.
 *
 * @example
 * ```ts
 * new View({ meterName: INSTRUMENTATION_SCOPE.name, instrumentName: "nextgen.agent.create.duration" });
 * ```
 */
export const INSTRUMENTATION_SCOPE: { readonly name: string; readonly version: string } = {
  name: "@nextgen/otel",
  version: "0.1.0",
};

/**
 * Options of {@link instrument}.
 *
 * @example
 * ```ts
 * const options: InstrumentOptions = { tracerProvider, meterProvider, trust: policy };
 * ```
 */
export interface InstrumentOptions {
  /**
   * Where spans go. Never registered globally.
   * @default trace.getTracerProvider() — the host's global provider, or a no-op one
   */
  tracerProvider?: TracerProvider;
  /**
   * Where metrics go. Never registered globally.
   * @default metrics.getMeterProvider() — the host's global provider, or a no-op one
   */
  meterProvider?: MeterProvider;
  /**
   * Adds `nextgen.template.id` to agent metrics. Off by default: one series per template
   * can be thousands of series. Spans always carry the template id.
   * @default false
   */
  includeTemplateId?: boolean;
  /**
   * The trust policy (anything with `earliestKeyExpiry`), observed into the
   * `nextgen.trust.earliest_key.expiry` gauge at each collection.
   * @default undefined — the gauge reports nothing
   */
  trust?: TrustExpirySource;
  /**
   * `gen_ai.provider.name` on `create_agent` and `invoke_agent` (the GenAI conventions
   * require it). The SDK does not call a model itself, so only you know which provider your
   * agents use (`openai`, `anthropic`, `aws.bedrock`, … or `_OTHER`). Set it when your
   * backend groups agent spans by provider.
   * @default undefined — the attribute is left out (your model client's spans carry it)
   */
  genAiProviderName?: string;
  /**
   * Worker pools (anything with `stats()`, such as `createWorkerPool` results) read at each
   * collection into `nextgen.pool.threads`, `.threads.busy`, `.queue.depth` and (when the
   * pool reports `maxQueue`) `.queue.capacity`. Other pools report only what their events
   * carry (threads after scaling).
   * @default []
   */
  pools?: readonly PoolStatsSource[];
  /**
   * Anything with `health()` (the agent factory): read at each collection (within 2 s) so
   * `nextgen.cache.tier.up` follows each cache tier's own health check, not only its
   * lookups: a failed tier recovers without waiting for a cold create.
   * @default undefined — `nextgen.cache.tier.up` changes only on lookups
   */
  health?: { health(): unknown };
}

/**
 * What {@link instrument} returns.
 *
 * @example
 * ```ts
 * const instrumentation: Instrumentation = instrument();
 * ```
 */
export interface Instrumentation {
  /**
   * Unsubscribes from every channel. Idempotent; spans in flight are dropped, not ended.
   * Afterwards `instrument()` may be called again.
   *
   * @example
   * ```ts
   * const instrumentation = instrument();
   * process.once("SIGTERM", () => instrumentation.close());
   * ```
   */
  close(): void;
}

// The one open instrumentation of this module instance. Two at once cannot work: both set
// the same `runInContext` hook on each operation, so the second's span would replace the
// first's as the active one (breaking the first's trees), and every metric would count twice.
let active: Instrumentation | undefined;

/**
 * Turns core's diagnostics channels into OpenTelemetry spans and metrics. Registers no
 * globals and never throws into core; without it, core publishes nothing. Call it once,
 * after the host set up its OpenTelemetry SDK (so the active context is shared).
 *
 * @example
 * ```ts
 * import { instrument } from "@nextgen/otel";
 * const instrumentation = instrument({ tracerProvider, meterProvider });
 * // … factory.create(…), agent.run(…) now produce spans and metrics …
 * instrumentation.close();
 * ```
 */
export function instrument(options: InstrumentOptions = {}): Instrumentation {
  const tracerProvider = options.tracerProvider ?? trace.getTracerProvider();
  const meterProvider = options.meterProvider ?? metrics.getMeterProvider();
  if (typeof tracerProvider.getTracer !== "function") {
    throw new OptionsError("options.tracerProvider", "must have a getTracer() method");
  }
  if (typeof meterProvider.getMeter !== "function") {
    throw new OptionsError("options.meterProvider", "must have a getMeter() method");
  }
  if (options.includeTemplateId !== undefined && typeof options.includeTemplateId !== "boolean") {
    throw new OptionsError("options.includeTemplateId", "must be a boolean");
  }
  const provider = options.genAiProviderName;
  if (provider !== undefined && (typeof provider !== "string" || provider.length === 0)) {
    throw new OptionsError("options.genAiProviderName", 'must be a non-empty string such as "openai" or "_OTHER"');
  }
  if (options.pools !== undefined && !isPoolStatsSources(options.pools)) {
    throw new OptionsError("options.pools", "must be an array of pools with a stats() method");
  }
  if (options.health !== undefined && typeof options.health?.health !== "function") {
    throw new OptionsError("options.health", "must have a health() method (the agent factory)");
  }
  if (options.trust !== undefined && !isTrustExpirySource(options.trust)) {
    throw new OptionsError("options.trust", "must have an earliestKeyExpiry property (a TrustPolicy)");
  }
  if (active !== undefined) {
    throw new OptionsError(
      "instrument()",
      "is already active in this process: call close() on the Instrumentation it returned first",
    );
  }
  const { name, version } = INSTRUMENTATION_SCOPE;
  const tracer = tracerProvider.getTracer(name, version);
  const runtime: SpanRuntime = { tracer, store: createContextStore() };
  const meter = meterProvider.getMeter(name, version);
  const metricSink = otelMetricSink(
    meter,
    options.includeTemplateId ?? false,
    options.trust,
    options.pools,
    options.health,
  );
  const closers = [
    traceChannel(withProvider(createAgentSpan, provider), runtime),
    traceChannel(withProvider(invokeAgentSpan, provider), runtime),
    traceChannel(templateResolveSpan, runtime),
    traceChannel(trustVerifySpan, runtime),
    traceChannel(codecDecodeSpan, runtime),
    traceChannel(poolTaskSpan(tracer), runtime),
    traceCache(runtime),
    traceChannel(modelCallSpan, runtime),
    traceChannel(toolCallSpan, runtime),
    subscribeMetrics(metricSink.sink),
    subscribeGenAiMetrics(meter),
    metricSink.close,
    runtime.store.close,
  ];
  let open = true;
  const instrumentation: Instrumentation = {
    close: () => {
      if (!open) return;
      open = false;
      if (active === instrumentation) active = undefined;
      for (const close of closers) close();
    },
  };
  active = instrumentation;
  return instrumentation;
}
