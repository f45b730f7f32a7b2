import type { CacheEvictMessage, CacheLookupMessage } from "@nextgen/core";
import { CACHE_EVICT_CHANNEL, CACHE_LOOKUP_CHANNEL } from "@nextgen/core";
import { SpanKind, SpanStatusCode, trace } from "@opentelemetry/api";
import { subscribePlain } from "../channels/subscribe-trace.js";
import { ATTR } from "./attributes.js";
import { setDefined } from "./compact.js";
import { recordTierServed, templateIdOfKey } from "./resolve-origin.js";
import type { SpanRuntime } from "./span-channel.js";
import { epochMsToHrTime, nowEpochMs } from "./time.js";

/**
 * Cache lookups become short `cache.lookup` spans (the message says how long the lookup
 * took, so the span is back-dated), children of the active span (normally
 * `template.resolve`, which learns from a hit which tier served the template); evictions become `nextgen.cache.evict` events on the active span.
 * @internal
 */
export function traceCache(runtime: SpanRuntime): () => void {
  const offLookup = subscribePlain<CacheLookupMessage>(CACHE_LOOKUP_CHANNEL, (message) => {
    const end = nowEpochMs();
    const parent = runtime.store.active();
    const templateId = message.templateId ?? templateIdOfKey(message.key);
    if (message.result === "hit" || message.result === "stale") {
      const resolving = trace.getSpan(parent);
      if (resolving !== undefined) recordTierServed(resolving, templateId, message.tier);
    }
    const span = runtime.tracer.startSpan(
      "cache.lookup",
      {
        kind: SpanKind.INTERNAL,
        startTime: epochMsToHrTime(end - message.durationMs),
        attributes: {
          [ATTR.cacheTier]: message.tier,
          [ATTR.cacheLevel]: message.level,
          [ATTR.cacheResult]: message.result,
          [ATTR.templateId]: templateId,
        },
      },
      parent,
    );
    setDefined(span, ATTR.cacheEntryAgeMs, message.ageMs);
    if (message.result === "error") {
      span.setAttribute(ATTR.errorType, "cache_tier_error");
      span.setStatus({ code: SpanStatusCode.ERROR });
    }
    span.end(epochMsToHrTime(end));
  });
  const offEvict = subscribePlain<CacheEvictMessage>(CACHE_EVICT_CHANNEL, (message) => {
    trace.getSpan(runtime.store.active())?.addEvent("nextgen.cache.evict", {
      [ATTR.cacheTier]: message.tier,
      [ATTR.cacheEvictReason]: message.reason,
    });
  });
  return () => {
    offLookup();
    offEvict();
  };
}
