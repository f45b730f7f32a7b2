// Public API of @nextgen/otel/prometheus, listed by name (no `export *`). Needs the optional
// peer prom-client; the host owns the registry.

// SDK metrics on the host's registry, and the scrape handler (with health).

export type { HealthReportLike, HealthSource, MetricsHandlerOptions, RequestListener } from "./metrics-handler.js";
export { metricsHandler } from "./metrics-handler.js";
export type { PrometheusMetrics, PrometheusMetricsOptions } from "./register-prometheus-metrics.js";
export { registerPrometheusMetrics } from "./register-prometheus-metrics.js";

// GenAI metrics (model calls, tokens, tool calls).

export type { GenAiPrometheusMetrics, GenAiPrometheusOptions } from "./genai-prometheus.js";
export { registerGenAiPrometheusMetrics } from "./genai-prometheus.js";

// What the metrics read besides the channels (structural: a pool, a trust policy).

export type { PoolStatsLike, PoolStatsSource } from "../metrics/pool-stats-source.js";
export type { TrustExpirySource } from "../metrics/trust-expiry-source.js";
