// Public API of @nextgen/otel/prometheus, listed by name. Needs the optional peer prom-client.

export type { PoolStatsLike, PoolStatsSource } from "../metrics/pool-stats-source.js";
export type { TrustExpirySource } from "../metrics/trust-expiry-source.js";
export type { GenAiPrometheusMetrics, GenAiPrometheusOptions } from "./genai-prometheus.js";
export { registerGenAiPrometheusMetrics } from "./genai-prometheus.js";
export type { HealthReportLike, HealthSource, MetricsHandlerOptions, RequestListener } from "./metrics-handler.js";
export { metricsHandler } from "./metrics-handler.js";
export type { PrometheusMetrics, PrometheusMetricsOptions } from "./register-prometheus-metrics.js";
export { registerPrometheusMetrics } from "./register-prometheus-metrics.js";
