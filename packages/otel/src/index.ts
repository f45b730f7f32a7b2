// Public API of @nextgen/otel, listed by name. Prometheus lives in `@nextgen/otel/prometheus`
// so hosts without prom-client never load it.

export type { Instrumentation, InstrumentOptions } from "./instrument.js";
export { INSTRUMENTATION_SCOPE, instrument } from "./instrument.js";
export {
  CREATE_DURATION_BUCKETS_SECONDS,
  ENTRY_AGE_BUCKETS_SECONDS,
  POOL_WAIT_BUCKETS_SECONDS,
  TASK_DURATION_BUCKETS_SECONDS,
} from "./metrics/buckets.js";
export type { PoolStatsLike, PoolStatsSource } from "./metrics/pool-stats-source.js";
export type { TrustExpirySource } from "./metrics/trust-expiry-source.js";
