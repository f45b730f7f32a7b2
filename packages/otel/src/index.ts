// Public API of @nextgen/otel, listed by name (no `export *`). Prometheus lives in
// `@nextgen/otel/prometheus` so hosts without prom-client never load it.

// Instrumentation: subscribes to core's diagnostics channels, emits spans and metrics.

export type { Instrumentation, InstrumentOptions } from "./instrument.js";
export { INSTRUMENTATION_SCOPE, instrument } from "./instrument.js";

// What `instrument` reads besides the channels (structural: a pool, a trust policy).

export type { PoolStatsLike, PoolStatsSource } from "./metrics/pool-stats-source.js";
export type { TrustExpirySource } from "./metrics/trust-expiry-source.js";
