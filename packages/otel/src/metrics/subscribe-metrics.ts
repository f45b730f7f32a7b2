import type {
  AgentCreateContext,
  AgentRunContext,
  CacheEvictMessage,
  CacheLookupMessage,
  CodecDecodeContext,
  PoolScaleMessage,
  PoolTaskContext,
  TemplateReloadMessage,
  TrustVerifyContext,
} from "@nextgen/core";
import {
  AGENT_CREATE_CHANNEL,
  AGENT_RUN_CHANNEL,
  CACHE_EVICT_CHANNEL,
  CACHE_LOOKUP_CHANNEL,
  CODEC_DECODE_CHANNEL,
  POOL_SCALE_CHANNEL,
  POOL_TASK_CHANNEL,
  TEMPLATE_RELOAD_CHANNEL,
  TRUST_VERIFY_CHANNEL,
} from "@nextgen/core";
import { errorType } from "../channels/error-type.js";
import { type Settled, subscribePlain, subscribeTrace } from "../channels/subscribe-trace.js";
import type { MetricSink } from "./metric-sink.js";
import { templateIdLabel } from "./template-id-label.js";

/**
 * Subscribes `sink` to every channel core publishes on. Returns the unsubscribe function.
 * @internal
 */
export function subscribeMetrics(sink: MetricSink): () => void {
  const createStarts = new WeakMap<object, number>();
  const runStarts = new WeakMap<object, number>();
  // Sinks that label by template id get a bounded set of values (see templateIdLabel).
  const templateId = templateIdLabel();
  const offs = [
    subscribeTrace<AgentCreateContext>(AGENT_CREATE_CHANNEL, {
      start: (context) => createStarts.set(context, performance.now()),
      finish: (context) => {
        const started = createStarts.get(context);
        if (started === undefined) return;
        createStarts.delete(context);
        const failure = "error" in context ? errorType(context.error) : undefined;
        sink.agentCreate({
          seconds: (performance.now() - started) / 1000,
          kind: context.kind ?? "unknown",
          templateId: templateId(context.templateId, failure),
          errorType: failure,
          cached: context.cached,
        });
      },
    }),
    subscribeTrace<AgentRunContext>(AGENT_RUN_CHANNEL, {
      start: (context) => runStarts.set(context, performance.now()),
      finish: (context) => {
        const started = runStarts.get(context);
        if (started === undefined) return;
        runStarts.delete(context);
        sink.agentRun({
          seconds: (performance.now() - started) / 1000,
          kind: context.kind,
          templateId: templateId(context.templateId),
          errorType: "error" in context ? errorType(context.error) : undefined,
        });
      },
    }),
    subscribeTrace<TrustVerifyContext>(TRUST_VERIFY_CHANNEL, {
      finish: (context) => sink.trustVerdict(verdictOf(context)),
    }),
    subscribeTrace<CodecDecodeContext>(CODEC_DECODE_CHANNEL, {
      finish: (context) => sink.codecDecode(context.backend, context.bytesIn, context.bytesOut),
    }),
    subscribeTrace<PoolTaskContext>(POOL_TASK_CHANNEL, {
      start: (context) => sink.poolSample(poolSample(context)),
      finish: (context) =>
        sink.poolSample({
          ...poolSample(context),
          waitSeconds: context.waitMs === undefined ? undefined : context.waitMs / 1000,
          runSeconds: context.runMs === undefined ? undefined : context.runMs / 1000,
        }),
    }),
    subscribePlain<CacheLookupMessage>(CACHE_LOOKUP_CHANNEL, (message) => sink.cacheLookup(message)),
    subscribePlain<CacheEvictMessage>(CACHE_EVICT_CHANNEL, (message) => sink.cacheEvict(message)),
    subscribePlain<PoolScaleMessage>(POOL_SCALE_CHANNEL, (message) => sink.poolScale(message)),
    subscribePlain<TemplateReloadMessage>(TEMPLATE_RELOAD_CHANNEL, (message) => sink.templateReload(message)),
  ];
  return () => {
    for (const off of offs) off();
  };
}

function verdictOf(context: Settled<TrustVerifyContext>) {
  // A verifier may report a refusal by throwing instead of setting `verdict`.
  const refused = context.verdict === "refused" || (context.verdict === undefined && "error" in context);
  return {
    verdict: refused ? ("refused" as const) : ("accepted" as const),
    reason: refused ? (context.reason ?? errorType(context.error)) : "none",
    keyExpiries: context.keyExpiries,
  };
}

function poolSample(context: PoolTaskContext) {
  return { pool: context.pool, queueDepth: context.queueDepth, maxQueue: context.maxQueue, threads: context.threads };
}
