import { OptionsError } from "@nextgen/core";
import { register as globalRegistry, Registry } from "prom-client";
import { isPoolStatsSources, type PoolStatsSource } from "../metrics/pool-stats-source.js";
import { subscribeMetrics } from "../metrics/subscribe-metrics.js";
import { isTrustExpirySource, type TrustExpirySource } from "../metrics/trust-expiry-source.js";
import type { HealthSource } from "./metrics-handler.js";
import { createPrometheusMetricSet } from "./prometheus-metric-set.js";
import { prometheusMetricSink } from "./prometheus-metric-sink.js";

const METRIC_PREFIX = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/;
// A scrape waits at most this long for `health()`; the tiers keep their last values otherwise.
const HEALTH_TIMEOUT_MS = 2_000;

/**
 * Options of {@link registerPrometheusMetrics}.
 *
 * @example
 * ```ts
 * const options: PrometheusMetricsOptions = { registry: new Registry(), trust: policy, pools: [pool] };
 * ```
 */
export interface PrometheusMetricsOptions {
  /**
   * The prom-client `Registry` the host owns and serves. prom-client's global `register`
   * is refused: a library must not write into a registry it does not own.
   */
  registry: Registry;
  /**
   * Prefix of every metric name. Must be a valid Prometheus metric name start; the
   * dashboard and alert rules in `assets/` assume the default.
   * @default "nextgen_"
   */
  prefix?: string;
  /**
   * Adds a `template_id` label to the agent metrics. Off by default: one series per
   * template can be thousands of series.
   * @default false
   */
  includeTemplateId?: boolean;
  /**
   * The trust policy (anything with `earliestKeyExpiry`), read at each scrape into
   * `nextgen_trust_earliest_key_expiry_timestamp_seconds` for the key-expiry alert.
   * @default undefined — the gauge is not registered
   */
  trust?: TrustExpirySource;
  /**
   * Worker pools (anything with `stats()`) read at each scrape into `nextgen_pool_threads`,
   * `nextgen_pool_queue_depth` and `nextgen_pool_busy_threads`.
   * @default []
   */
  pools?: readonly PoolStatsSource[];
  /**
   * Anything with `health()` (the agent factory): read at each scrape (within 2 s) so
   * `nextgen_cache_tier_up` follows each cache tier's own health check, not only its
   * lookups. A tier then reads 0 as soon as its check fails and back to 1 once it passes
   * (and no lookup failed since the previous scrape), without waiting for a cold create.
   * @default undefined — `nextgen_cache_tier_up` changes only on lookups
   */
  health?: HealthSource;
}

/**
 * What {@link registerPrometheusMetrics} returns.
 *
 * @example
 * ```ts
 * const prometheus: PrometheusMetrics = registerPrometheusMetrics({ registry });
 * console.log(prometheus.names); // ["nextgen_agent_create_duration_seconds", …]
 * prometheus.close();
 * ```
 */
export interface PrometheusMetrics {
  /** Names of the metrics registered, prefix included. */
  readonly names: readonly string[];
  /** Unsubscribes and removes the metrics from the registry. Idempotent. */
  close(): void;
}

/**
 * Registers the `@nextgen` metrics on a prom-client `Registry` the host owns and feeds them
 * from core's diagnostics channels. Registers no default metrics and never touches the
 * global registry.
 *
 * @example
 * ```ts
 * import { Registry } from "prom-client";
 * import { metricsHandler, registerPrometheusMetrics } from "@nextgen/otel/prometheus";
 * const registry = new Registry();
 * const prometheus = registerPrometheusMetrics({ registry, trust: policy, health: factory });
 * http.createServer(metricsHandler(registry, { health: factory })).listen(9464);
 * ```
 */
export function registerPrometheusMetrics(options: PrometheusMetricsOptions): PrometheusMetrics {
  const { registry, prefix = "nextgen_", includeTemplateId = false, trust, pools = [], health } = options;
  if (registry === globalRegistry) {
    throw new OptionsError("options.registry", "must be a Registry you own, not prom-client's global register");
  }
  if (typeof registry?.registerMetric !== "function" || typeof registry.metrics !== "function") {
    throw new OptionsError("options.registry", "must be a prom-client Registry");
  }
  if (typeof prefix !== "string" || (prefix !== "" && !METRIC_PREFIX.test(prefix))) {
    throw new OptionsError("options.prefix", "must match [a-zA-Z_:][a-zA-Z0-9_:]* (or be empty)");
  }
  if (typeof includeTemplateId !== "boolean") {
    throw new OptionsError("options.includeTemplateId", "must be a boolean");
  }
  if (trust !== undefined && !isTrustExpirySource(trust)) {
    throw new OptionsError("options.trust", "must have an earliestKeyExpiry property (a TrustPolicy)");
  }
  if (health !== undefined && typeof (health as Partial<HealthSource> | null)?.health !== "function") {
    throw new OptionsError("options.health", "must have a health() method (the agent factory)");
  }
  if (!isPoolStatsSources(pools)) {
    throw new OptionsError("options.pools", "must be an array of worker pools (objects with stats())");
  }
  // Built on a scratch registry, then moved over only if no name is taken: a second call on
  // the same registry (or a host metric with one of our names) is refused with nothing
  // half-registered, instead of prom-client throwing after registering some of them.
  const scratch = new Registry();
  const metrics = createPrometheusMetricSet({
    registry: scratch,
    prefix,
    includeTemplateId,
    trust,
    pools,
    health,
    healthTimeoutMs: HEALTH_TIMEOUT_MS,
  });
  const { names } = metrics;
  const taken = names.filter((name) => registry.getSingleMetric(name) !== undefined);
  if (taken.length > 0) {
    throw new OptionsError(
      "options.registry",
      `already has ${taken.join(", ")}: close() the earlier registerPrometheusMetrics() or pass another prefix`,
    );
  }
  for (const name of names) {
    const metric = scratch.getSingleMetric(name);
    if (metric !== undefined) registry.registerMetric(metric);
  }
  const sink = prometheusMetricSink(metrics, includeTemplateId);
  const unsubscribe = subscribeMetrics(sink);
  let open = true;
  return {
    names,
    close: () => {
      if (!open) return;
      open = false;
      unsubscribe();
      for (const name of names) registry.removeSingleMetric(name);
    },
  };
}
