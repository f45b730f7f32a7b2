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
      else if (includeTemplateId)
        created.inc({
          kind: observation.kind,
          cached: observation.cached === true ? "true" : "false",
          template_id: observation.templateId,
        });
      else created.inc({ kind: observation.kind, cached: observation.cached === true ? "true" : "false" });
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
  return sink;
}
