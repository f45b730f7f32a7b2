import { attributeCache } from "../metrics/attribute-cache.js";
import type { AgentObservation, MetricSink } from "../metrics/metric-sink.js";
import type { PrometheusMetricSet } from "./prometheus-metric-set.js";

/**
 * Maps metric observations onto the Prometheus metrics.
 * @internal
 */
export function prometheusMetricSink(metrics: PrometheusMetricSet, includeTemplateId: boolean): MetricSink {
  const {
    createDuration,
    created,
    createErrors,
    runDuration,
    cacheRequests,
    entryAge,
    evictions,
    tierUp,
    tierUpTracker,
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
  } = metrics;
  // Label objects and histogram children built once per kind / outcome (/ template), see
  // `attributeCache`; a child's observe() skips prom-client's per-call closure.
  const agentLabels = attributeCache((observation: AgentObservation): AgentLabels => {
    const labels: Record<string, string> = {
      kind: observation.kind,
      outcome: observation.errorType === undefined ? "success" : "error",
    };
    if (includeTemplateId) labels.template_id = observation.templateId;
    const created = (cached: string): Record<string, string> =>
      includeTemplateId
        ? { kind: observation.kind, cached, template_id: observation.templateId }
        : { kind: observation.kind, cached };
    return {
      createDuration: createDuration.labels(labels),
      runDuration: runDuration.labels(labels),
      warm: created("true"),
      cold: created("false"),
      error: observation.errorType === undefined ? undefined : { error_type: observation.errorType },
    };
  }, includeTemplateId);

  // One lookup per create (the memory tier's hit, on every request of a service): children per
  // tier and result, built once (tiers and results are a handful), so no label hashing per lookup.
  const lookups = new Map<string, LookupChildren>();
  const lookupChildren = (tier: string, result: string): LookupChildren => {
    const key = `${tier}\u0000${result}`;
    let set = lookups.get(key);
    if (set === undefined) {
      set = {
        requests: cacheRequests.labels({ tier, result }),
        up: tierUp.labels({ tier }),
        age: entryAge.labels({ tier }),
      };
      if (lookups.size < 1024) lookups.set(key, set);
    }
    return set;
  };

  const sink: MetricSink = {
    agentCreate: (observation) => {
      const set = agentLabels(observation);
      set.createDuration.observe(observation.seconds);
      if (set.error !== undefined) createErrors.inc(set.error);
      else created.inc(observation.cached === true ? set.warm : set.cold);
    },
    agentRun: (observation) => agentLabels(observation).runDuration.observe(observation.seconds),
    cacheLookup: (message) => {
      const set = lookupChildren(message.tier, message.result);
      set.requests.inc();
      set.up.set(tierUpTracker.lookup(message.tier, message.result === "error"));
      if (message.result === "hit" && message.ageMs !== undefined) set.age.observe(message.ageMs / 1000);
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
  return sink;
}

/** The label objects of one agent key, built once. */
interface AgentLabels {
  /** `agent_create_duration_seconds` child for these labels. */
  readonly createDuration: HistogramChild;
  /** `agent_run_duration_seconds` child for these labels. */
  readonly runDuration: HistogramChild;
  /** `agents_created_total` of a warm create. */
  readonly warm: Record<string, string>;
  /** `agents_created_total` of a cold create. */
  readonly cold: Record<string, string>;
  /** `agent_create_errors_total`, for a failed create. */
  readonly error: Record<string, string> | undefined;
}

/** The children of one cache tier and lookup result, built once. */
interface LookupChildren {
  /** `cache_requests_total{tier, result}`. */
  readonly requests: { inc(value?: number): void };
  /** `cache_tier_up{tier}`. */
  readonly up: { set(value: number): void };
  /** `cache_entry_age_seconds{tier}`. */
  readonly age: HistogramChild;
}

/** What prom-client's `Histogram.labels()` returns that we use. */
interface HistogramChild {
  observe(value: number): void;
}
