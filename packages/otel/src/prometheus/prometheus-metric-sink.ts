import { Counter, Gauge, Histogram, type Registry } from "prom-client";
import {
  CREATE_DURATION_BUCKETS_SECONDS,
  ENTRY_AGE_BUCKETS_SECONDS,
  TASK_DURATION_BUCKETS_SECONDS,
} from "../metrics/buckets.js";
import type { AgentObservation, MetricSink } from "../metrics/metric-sink.js";
import { type PoolStatsLike, type PoolStatsSource, readPoolStats } from "../metrics/pool-stats-source.js";
import { earliestExpirySeconds, type TrustExpirySource } from "../metrics/trust-expiry-source.js";

/** The sink plus the metric names it registered (so `close` can remove them). */
export interface PrometheusSink {
  readonly sink: MetricSink;
  readonly names: readonly string[];
}

/**
 * Registers the Prometheus metrics on `registry` and returns the sink that feeds them.
 * Names follow the Prometheus conventions: base units (seconds, bytes), `_total` on
 * counters, low-cardinality labels.
 * @internal
 */
export function prometheusMetricSink(
  registry: Registry,
  prefix: string,
  includeTemplateId: boolean,
  trust: TrustExpirySource | undefined,
  pools: readonly PoolStatsSource[],
): PrometheusSink {
  const names: string[] = [];
  const registers = [registry];
  const name = (suffix: string): string => {
    names.push(`${prefix}${suffix}`);
    return `${prefix}${suffix}`;
  };
  const agentLabels = includeTemplateId ? ["kind", "outcome", "template_id"] : ["kind", "outcome"];
  const createDuration = new Histogram({
    name: name("agent_create_duration_seconds"),
    help: "Duration of factory.create in seconds, by kind and outcome (success or error).",
    labelNames: agentLabels,
    buckets: [...CREATE_DURATION_BUCKETS_SECONDS],
    registers,
  });
  const created = new Counter({
    name: name("agents_created_total"),
    help: "Agents created, by kind.",
    labelNames: includeTemplateId ? ["kind", "template_id"] : ["kind"],
    registers,
  });
  const createErrors = new Counter({
    name: name("agent_create_errors_total"),
    help: "Failed creates, by error code.",
    labelNames: ["error_type"],
    registers,
  });
  const runDuration = new Histogram({
    name: name("agent_run_duration_seconds"),
    help: "Duration of agent.run in seconds (retries included), by kind and outcome.",
    labelNames: agentLabels,
    buckets: [...TASK_DURATION_BUCKETS_SECONDS],
    registers,
  });
  const cacheRequests = new Counter({
    name: name("cache_requests_total"),
    help: "Cache tier lookups, by tier and result (hit, miss, stale, error, refused).",
    labelNames: ["tier", "result"],
    registers,
  });
  const entryAge = new Histogram({
    name: name("cache_entry_age_seconds"),
    help: "Age of a cache entry when it was hit, in seconds, by tier.",
    labelNames: ["tier"],
    buckets: [...ENTRY_AGE_BUCKETS_SECONDS],
    registers,
  });
  const evictions = new Counter({
    name: name("cache_evictions_total"),
    help: "Cache entries evicted, by tier and reason.",
    labelNames: ["tier", "reason"],
    registers,
  });
  const tierUp = new Gauge({
    name: name("cache_tier_up"),
    help: "1 when the tier's last lookup did not fail, 0 when it did.",
    labelNames: ["tier"],
    registers,
  });
  const verdicts = new Counter({
    name: name("signature_verdicts_total"),
    help: "Signature verdicts, by verdict (accepted or refused) and refusal reason.",
    labelNames: ["verdict", "reason"],
    registers,
  });
  const keyExpiry = new Gauge({
    name: name("trust_key_expiry_timestamp_seconds"),
    help: "When each trust key that verified a template expires, in seconds since the epoch.",
    labelNames: ["kid"],
    registers,
  });
  if (trust !== undefined) {
    new Gauge({
      name: name("trust_earliest_key_expiry_timestamp_seconds"),
      help: "Earliest notAfter among the trust policy's non-revoked keys, in seconds since the epoch.",
      registers,
      collect() {
        const seconds = earliestExpirySeconds(trust);
        if (seconds === undefined) this.remove();
        else this.set(seconds);
      },
    });
  }
  const bytesIn = new Counter({
    name: name("codec_bytes_in_total"),
    help: "Encoded bytes decoded, by codec backend.",
    labelNames: ["backend"],
    registers,
  });
  const bytesOut = new Counter({
    name: name("codec_bytes_out_total"),
    help: "Decoded bytes produced, by codec backend.",
    labelNames: ["backend"],
    registers,
  });
  // Pools passed in `pools` are read at each scrape; others are fed by their task events.
  const poolGauge = (suffix: string, help: string, read?: (stats: PoolStatsLike) => number): Gauge => {
    const collect =
      read === undefined || pools.length === 0
        ? undefined
        : function (this: Gauge): void {
            for (const stats of readPoolStats(pools)) this.set({ pool: stats.name }, read(stats));
          };
    return new Gauge({ name: name(suffix), help, labelNames: ["pool"], registers, collect });
  };
  const threads = poolGauge("pool_threads", "Worker threads in the pool.", (stats) => stats.threads);
  const queueDepth = poolGauge("pool_queue_depth", "Tasks waiting in the pool's queue.", (stats) => stats.queued);
  if (pools.length > 0) poolGauge("pool_busy_threads", "Threads running a task now.", (stats) => stats.busy);
  const queueCapacity = poolGauge("pool_queue_capacity", "Capacity of the pool's queue (maxQueue).");
  const busy = new Counter({
    name: name("pool_busy_seconds_total"),
    help: "Worker time spent running tasks, in seconds; rate() / pool_threads is the utilisation.",
    labelNames: ["pool"],
    registers,
  });
  const poolHistogram = (suffix: string, help: string) =>
    new Histogram({
      name: name(suffix),
      help,
      labelNames: ["pool"],
      buckets: [...TASK_DURATION_BUCKETS_SECONDS],
      registers,
    });
  const poolWait = poolHistogram("pool_task_wait_seconds", "Time a pool task waited in the queue, in seconds.");
  const poolRun = poolHistogram("pool_task_run_seconds", "Time a pool task ran in a worker, in seconds.");
  const reloads = new Counter({
    name: name("template_reloads_total"),
    help: "Hot reloads, by outcome (applied, refused, removed).",
    labelNames: ["outcome"],
    registers,
  });

  const agentLabelValues = (observation: AgentObservation): Record<string, string> => {
    const labels: Record<string, string> = {
      kind: observation.kind,
      outcome: observation.errorType === undefined ? "success" : "error",
    };
    if (includeTemplateId) labels.template_id = observation.templateId;
    return labels;
  };

  const sink: MetricSink = {
    agentCreate: (observation) => {
      createDuration.observe(agentLabelValues(observation), observation.seconds);
      if (observation.errorType !== undefined) createErrors.inc({ error_type: observation.errorType });
      else if (includeTemplateId) created.inc({ kind: observation.kind, template_id: observation.templateId });
      else created.inc({ kind: observation.kind });
    },
    agentRun: (observation) => runDuration.observe(agentLabelValues(observation), observation.seconds),
    cacheLookup: (message) => {
      cacheRequests.inc({ tier: message.tier, result: message.result });
      tierUp.set({ tier: message.tier }, message.result === "error" ? 0 : 1);
      if (message.result === "hit" && message.ageMs !== undefined)
        entryAge.observe({ tier: message.tier }, message.ageMs / 1000);
    },
    cacheEvict: (message) => evictions.inc({ tier: message.tier, reason: message.reason }),
    trustVerdict: (observation) => {
      verdicts.inc({ verdict: observation.verdict, reason: observation.reason });
      for (const [kid, notAfter] of Object.entries(observation.keyExpiries ?? {}))
        keyExpiry.set({ kid }, notAfter / 1000);
    },
    codecDecode: (backend, bytesInCount, bytesOutCount) => {
      bytesIn.inc({ backend }, bytesInCount);
      if (bytesOutCount !== undefined) bytesOut.inc({ backend }, bytesOutCount);
    },
    poolSample: (observation) => {
      const labels = { pool: observation.pool };
      if (observation.threads !== undefined) threads.set(labels, observation.threads);
      if (observation.queueDepth !== undefined) queueDepth.set(labels, observation.queueDepth);
      if (observation.maxQueue !== undefined) queueCapacity.set(labels, observation.maxQueue);
      if (observation.waitSeconds !== undefined) poolWait.observe(labels, observation.waitSeconds);
      if (observation.runSeconds !== undefined) {
        poolRun.observe(labels, observation.runSeconds);
        busy.inc(labels, observation.runSeconds);
      }
    },
    poolScale: (message) => threads.set({ pool: message.pool }, message.to),
    templateReload: (message) => reloads.inc({ outcome: message.outcome }),
  };
  return { sink, names };
}
