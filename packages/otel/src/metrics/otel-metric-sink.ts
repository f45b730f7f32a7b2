import type { Attributes, Meter, ObservableResult } from "@opentelemetry/api";
import { attributeCache } from "./attribute-cache.js";
import {
  CREATE_DURATION_BUCKETS_SECONDS,
  ENTRY_AGE_BUCKETS_SECONDS,
  POOL_WAIT_BUCKETS_SECONDS,
  TASK_DURATION_BUCKETS_SECONDS,
} from "./buckets.js";
import type { AgentObservation, MetricSink } from "./metric-sink.js";
import { otelPoolGauges } from "./otel-pool-gauges.js";
import { otelTierUp } from "./otel-tier-up.js";
import type { PoolStatsSource } from "./pool-stats-source.js";
import { earliestKeyExpiry, type TrustExpirySource } from "./trust-expiry-source.js";

/**
 * Records metric observations with an OpenTelemetry meter. Instrument names follow the
 * OpenTelemetry naming guidance (dotted, unit in `unit`, not in the name).
 * @internal
 */
export function otelMetricSink(
  meter: Meter,
  includeTemplateId: boolean,
  trust: TrustExpirySource | undefined,
  pools: readonly PoolStatsSource[] = [],
  health?: { health(): unknown },
): { sink: MetricSink; close(): void } {
  const seconds = (name: string, description: string, buckets: readonly number[]) =>
    meter.createHistogram(name, { description, unit: "s", advice: { explicitBucketBoundaries: [...buckets] } });
  const createDuration = seconds(
    "nextgen.agent.create.duration",
    "Duration of factory.create.",
    CREATE_DURATION_BUCKETS_SECONDS,
  );
  const runDuration = seconds(
    "nextgen.agent.run.duration",
    "Duration of agent.run, retries included.",
    TASK_DURATION_BUCKETS_SECONDS,
  );
  const entryAge = seconds(
    "nextgen.cache.entry.age",
    "Age of a cache entry when it was hit.",
    ENTRY_AGE_BUCKETS_SECONDS,
  );
  const poolWait = seconds(
    "nextgen.pool.task.wait.duration",
    "Time a pool task waited in the queue.",
    POOL_WAIT_BUCKETS_SECONDS,
  );
  const poolRun = seconds(
    "nextgen.pool.task.run.duration",
    "Time a pool task ran in a worker.",
    TASK_DURATION_BUCKETS_SECONDS,
  );
  const created = meter.createCounter("nextgen.agent.created", { description: "Agents created.", unit: "{agent}" });
  const cacheRequests = meter.createCounter("nextgen.cache.requests", {
    description: "Cache tier lookups.",
    unit: "{request}",
  });
  const evictions = meter.createCounter("nextgen.cache.evictions", {
    description: "Entries evicted.",
    unit: "{entry}",
  });
  // Same bound as the Prometheus scrape: a collection must not hang on a hung health check.
  const tierUp = otelTierUp(meter, health, 2_000);
  const verdicts = meter.createCounter("nextgen.trust.verdicts", {
    description: "Signature verdicts.",
    unit: "{verdict}",
  });
  const keyExpiry = meter.createGauge("nextgen.trust.key.expiry", {
    description: "When a trust key expires, in seconds since the epoch.",
    unit: "s",
  });
  const bytesIn = meter.createCounter("nextgen.codec.bytes_in", { description: "Encoded bytes decoded.", unit: "By" });
  const bytesOut = meter.createCounter("nextgen.codec.bytes_out", {
    description: "Decoded bytes produced.",
    unit: "By",
  });
  const poolGauges = otelPoolGauges(meter, pools);
  const busy = meter.createCounter("nextgen.pool.busy_time", {
    description: "Worker time spent running tasks.",
    unit: "s",
  });
  const reloads = meter.createCounter("nextgen.template.reloads", { description: "Hot reloads.", unit: "{reload}" });

  const earliestExpiry = meter.createObservableGauge("nextgen.trust.earliest_key.expiry", {
    description: "Earliest notAfter among the trust policy's non-revoked keys, in seconds since the epoch.",
    unit: "s",
  });
  const observeExpiry = (result: ObservableResult): void => {
    const earliest = trust === undefined ? undefined : earliestKeyExpiry(trust);
    if (earliest === undefined) return;
    result.observe(earliest.seconds, earliest.kid === undefined ? {} : { "nextgen.trust.kid": earliest.kid });
  };
  if (trust !== undefined) earliestExpiry.addCallback(observeExpiry);

  // Attribute objects built once per kind / outcome (/ template): see `attributeCache`.
  const agentAttributes = attributeCache((observation: AgentObservation): AgentAttributes => {
    const attributes: Attributes = { "nextgen.agent.kind": observation.kind };
    if (observation.errorType !== undefined) attributes["error.type"] = observation.errorType;
    if (includeTemplateId) attributes["nextgen.template.id"] = observation.templateId;
    return {
      attributes,
      warm: { ...attributes, "nextgen.template.cached": true },
      cold: { ...attributes, "nextgen.template.cached": false },
    };
  }, includeTemplateId);

  const sink: MetricSink = {
    agentCreate: (observation) => {
      const set = agentAttributes(observation);
      createDuration.record(observation.seconds, set.attributes);
      if (observation.errorType === undefined) created.add(1, observation.cached === true ? set.warm : set.cold);
    },
    agentRun: (observation) => runDuration.record(observation.seconds, agentAttributes(observation).attributes),
    cacheLookup: (message) => {
      const tier = { "nextgen.cache.tier": message.tier };
      cacheRequests.add(1, { ...tier, "nextgen.cache.result": message.result });
      tierUp.lookup(message.tier, message.result === "error");
      if (message.result === "hit" && message.ageMs !== undefined) entryAge.record(message.ageMs / 1000, tier);
    },
    cacheEvict: (message) =>
      evictions.add(1, { "nextgen.cache.tier": message.tier, "nextgen.cache.evict_reason": message.reason }),
    trustVerdict: (observation) => {
      verdicts.add(1, { "nextgen.trust.verdict": observation.verdict, "nextgen.trust.reason": observation.reason });
      for (const [kid, notAfter] of Object.entries(observation.keyExpiries ?? {})) {
        keyExpiry.record(notAfter / 1000, { "nextgen.trust.kid": kid });
      }
    },
    codecDecode: (backend, bytesInCount, bytesOutCount) => {
      bytesIn.add(bytesInCount, { "nextgen.codec.backend": backend });
      if (bytesOutCount !== undefined) bytesOut.add(bytesOutCount, { "nextgen.codec.backend": backend });
    },
    poolSample: (observation) => {
      const pool = { "nextgen.pool.name": observation.pool };
      poolGauges.remember(observation.pool, observation);
      if (observation.waitSeconds !== undefined) poolWait.record(observation.waitSeconds, pool);
      if (observation.runSeconds !== undefined) {
        poolRun.record(observation.runSeconds, pool);
        busy.add(observation.runSeconds, pool);
      }
    },
    poolScale: (message) => poolGauges.remember(message.pool, { threads: message.to }),
    templateReload: (message) => reloads.add(1, { "nextgen.template.reload_outcome": message.outcome }),
  };
  return {
    sink,
    close: () => {
      earliestExpiry.removeCallback(observeExpiry);
      poolGauges.close();
      tierUp.close();
    },
  };
}

/** The attribute objects of one agent key, built once (see `attributeCache`). */
interface AgentAttributes {
  readonly attributes: Attributes;
  /** For `nextgen.agent.created` of a warm create. */
  readonly warm: Attributes;
  /** For `nextgen.agent.created` of a cold create. */
  readonly cold: Attributes;
}
