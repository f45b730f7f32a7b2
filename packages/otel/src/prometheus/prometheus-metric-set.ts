import { SIGNATURE_REASON_CODES } from "@nextgen/core/internal";
import { Counter, Gauge, Histogram, type Registry } from "prom-client";
import {
  CREATE_DURATION_BUCKETS_SECONDS,
  ENTRY_AGE_BUCKETS_SECONDS,
  POOL_WAIT_BUCKETS_SECONDS,
  TASK_DURATION_BUCKETS_SECONDS,
} from "../metrics/buckets.js";
import { type PoolStatsLike, type PoolStatsSource, readPoolStats } from "../metrics/pool-stats-source.js";
import { readCacheTierHealth, type TierUpTracker, tierUpTracker } from "../metrics/tier-up-tracker.js";
import { earliestKeyExpiry, type TrustExpirySource } from "../metrics/trust-expiry-source.js";

/** What the metrics are registered with. */
export interface PrometheusMetricSetOptions {
  readonly registry: Registry;
  readonly prefix: string;
  readonly includeTemplateId: boolean;
  readonly trust: TrustExpirySource | undefined;
  readonly pools: readonly PoolStatsSource[];
  /** Read at each scrape for the cache tiers' health (`factory.health()`). */
  readonly health: { health(): unknown } | undefined;
  /** Bound on one health read at scrape. */
  readonly healthTimeoutMs: number;
}

/** The metrics the sink feeds. Scrape-time gauges (trust, pool stats) are registered but not listed. */
export interface PrometheusMetricSet {
  readonly createDuration: Histogram<string>;
  readonly created: Counter<string>;
  readonly createErrors: Counter<string>;
  readonly runDuration: Histogram<string>;
  readonly cacheRequests: Counter<string>;
  readonly entryAge: Histogram<string>;
  readonly evictions: Counter<string>;
  readonly tierUp: Gauge<string>;
  /** What `tierUp` is set to, from lookups and (at scrape) the tiers' health. */
  readonly tierUpTracker: TierUpTracker;
  readonly verdicts: Counter<string>;
  readonly keyExpiry: Gauge<string>;
  readonly bytesIn: Counter<string>;
  readonly bytesOut: Counter<string>;
  readonly threads: Gauge<string>;
  readonly queueDepth: Gauge<string>;
  readonly queueCapacity: Gauge<string>;
  readonly busy: Counter<string>;
  readonly poolWait: Histogram<string>;
  readonly poolRun: Histogram<string>;
  readonly reloads: Counter<string>;
  /** Every metric name registered, prefix included (so `close` can remove them). */
  readonly names: readonly string[];
}

/**
 * Registers the Prometheus metrics on the registry. Names follow the Prometheus
 * conventions: base units (seconds, bytes), `_total` on counters, low-cardinality labels.
 * @internal
 */
export function createPrometheusMetricSet(options: PrometheusMetricSetOptions): PrometheusMetricSet {
  const { registry, prefix, includeTemplateId, trust, pools, health, healthTimeoutMs } = options;
  const names: string[] = [];
  const registers = [registry];
  const name = (suffix: string): string => {
    names.push(`${prefix}${suffix}`);
    return `${prefix}${suffix}`;
  };
  const counter = (suffix: string, help: string, labelNames: string[]): Counter =>
    new Counter({ name: name(suffix), help, labelNames, registers });
  const histogram = (suffix: string, help: string, labelNames: string[], buckets: readonly number[]): Histogram =>
    new Histogram({ name: name(suffix), help, labelNames, buckets: [...buckets], registers });
  const agentLabels = includeTemplateId ? ["kind", "outcome", "template_id"] : ["kind", "outcome"];
  const createDuration = histogram(
    "agent_create_duration_seconds",
    "Duration of factory.create in seconds, by kind and outcome (success or error).",
    agentLabels,
    CREATE_DURATION_BUCKETS_SECONDS,
  );
  // `cached` tells warm creates (served by the factory's resolved-template cache, which
  // never reaches a tier) from cold ones: the create-level hit ratio the alert watches.
  const created = counter(
    "agents_created_total",
    "Agents created, by kind and whether the template was already resolved (cached).",
    includeTemplateId ? ["kind", "cached", "template_id"] : ["kind", "cached"],
  );
  const createErrors = counter("agent_create_errors_total", "Failed creates, by error code.", ["error_type"]);
  const runDuration = histogram(
    "agent_run_duration_seconds",
    "Duration of agent.run in seconds (retries included), by kind and outcome.",
    agentLabels,
    TASK_DURATION_BUCKETS_SECONDS,
  );
  const cacheRequests = counter(
    "cache_requests_total",
    "Cache tier lookups, by tier and result (hit, miss, stale, error, refused).",
    ["tier", "result"],
  );
  const entryAge = histogram(
    "cache_entry_age_seconds",
    "Age of a cache entry when it was hit, in seconds, by tier.",
    ["tier"],
    ENTRY_AGE_BUCKETS_SECONDS,
  );
  const evictions = counter("cache_evictions_total", "Cache entries evicted, by tier and reason.", ["tier", "reason"]);
  const tracker = tierUpTracker();
  const tierUp = new Gauge({
    name: name("cache_tier_up"),
    help: "0 when the tier's last lookup failed or (with `health`) its health check at scrape did not pass, else 1.",
    labelNames: ["tier"],
    registers,
    collect:
      health === undefined
        ? undefined
        : async function (this: Gauge): Promise<void> {
            const tiers = await readCacheTierHealth(health, healthTimeoutMs);
            for (const [tier, up] of tracker.refresh(tiers ?? [])) this.set({ tier }, up);
          },
  });
  const verdicts = counter(
    "signature_verdicts_total",
    "Signature verdicts, by verdict (accepted or refused) and refusal reason.",
    ["verdict", "reason"],
  );
  // Every series an alert reads exists from registration, at 0: a counter series that
  // appears at 1 has no increase(), so the first refusal after a start would never page.
  verdicts.inc({ verdict: "accepted", reason: "none" }, 0);
  for (const reason of Object.keys(SIGNATURE_REASON_CODES)) verdicts.inc({ verdict: "refused", reason }, 0);
  const keyExpiry = new Gauge({
    name: name("trust_key_expiry_timestamp_seconds"),
    help: "When each trust key that verified a template expires, in seconds since the epoch.",
    labelNames: ["kid"],
    registers,
  });
  if (trust !== undefined) {
    new Gauge({
      name: name("trust_earliest_key_expiry_timestamp_seconds"),
      help: "Earliest notAfter among the trust policy's non-revoked keys (kid: that key), in seconds since the epoch.",
      labelNames: ["kid"],
      registers,
      collect() {
        const earliest = earliestKeyExpiry(trust);
        this.reset();
        if (earliest === undefined) return;
        if (earliest.kid === undefined) this.set(earliest.seconds);
        else this.set({ kid: earliest.kid }, earliest.seconds);
      },
    });
  }
  const bytesIn = counter("codec_bytes_in_total", "Encoded bytes decoded, by codec backend.", ["backend"]);
  const bytesOut = counter("codec_bytes_out_total", "Decoded bytes produced, by codec backend.", ["backend"]);
  // Pools passed in `pools` are read at each scrape; others are fed by their task events.
  const poolGauge = (suffix: string, help: string, read?: (stats: PoolStatsLike) => number | undefined): Gauge => {
    const collect =
      read === undefined || pools.length === 0
        ? undefined
        : function (this: Gauge): void {
            for (const stats of readPoolStats(pools)) {
              const value = read(stats);
              if (value !== undefined && Number.isFinite(value)) this.set({ pool: stats.name }, value);
            }
          };
    return new Gauge({ name: name(suffix), help, labelNames: ["pool"], registers, collect });
  };
  const threads = poolGauge("pool_threads", "Worker threads in the pool.", (stats) => stats.threads);
  const queueDepth = poolGauge("pool_queue_depth", "Tasks waiting in the pool's queue.", (stats) => stats.queued);
  if (pools.length > 0) poolGauge("pool_busy_threads", "Threads running a task now.", (stats) => stats.busy);
  const queueCapacity = poolGauge(
    "pool_queue_capacity",
    "Capacity of the pool's queue (maxQueue); absent for an unbounded queue.",
    (stats) => stats.maxQueue,
  );
  const busy = counter(
    "pool_busy_seconds_total",
    "Worker time spent running tasks, in seconds; rate() / pool_threads is the utilisation.",
    ["pool"],
  );
  const poolWait = histogram(
    "pool_task_wait_seconds",
    "Time a pool task waited in the queue, in seconds.",
    ["pool"],
    POOL_WAIT_BUCKETS_SECONDS,
  );
  const poolRun = histogram(
    "pool_task_run_seconds",
    "Time a pool task ran in a worker, in seconds.",
    ["pool"],
    TASK_DURATION_BUCKETS_SECONDS,
  );
  const reloads = counter("template_reloads_total", "Hot reloads, by outcome (applied, refused, removed).", [
    "outcome",
  ]);

  return {
    createDuration,
    created,
    createErrors,
    runDuration,
    cacheRequests,
    entryAge,
    evictions,
    tierUp,
    tierUpTracker: tracker,
    verdicts,
    keyExpiry,
    bytesIn,
    bytesOut,
    threads,
    queueDepth,
    queueCapacity,
    busy,
    poolWait,
    poolRun,
    reloads,
    names,
  };
}
