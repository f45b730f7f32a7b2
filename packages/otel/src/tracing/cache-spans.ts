import type { CacheEvictMessage, CacheLookupMessage } from "@nextgen/core";
import { CACHE_EVICT_CHANNEL, CACHE_LOOKUP_CHANNEL } from "@nextgen/core";
import { SpanKind, SpanStatusCode, trace } from "@opentelemetry/api";
import { subscribePlain } from "../channels/subscribe-trace.js";
import { ATTR } from "./attributes.js";
import { setDefined } from "./compact.js";
import type { SpanRuntime } from "./span-channel.js";
import { epochMsToHrTime, nowEpochMs } from "./time.js";

/**
 * Cache lookups become short `cache.lookup` spans (the message says how long the lookup
 * took, so the span is back-dated), children of the active span (normally
 * `template.resolve`); evictions become `nextgen.cache.evict` events on the active span.
 * @internal
 */
export function traceCache(runtime: SpanRuntime): () => void {
  const offLookup = subscribePlain<CacheLookupMessage>(CACHE_LOOKUP_CHANNEL, (message) => {
    const end = nowEpochMs();
    const span = runtime.tracer.startSpan(
      "cache.lookup",
      {
        kind: SpanKind.INTERNAL,
        startTime: epochMsToHrTime(end - message.durationMs),
        attributes: {
          [ATTR.cacheTier]: message.tier,
          [ATTR.cacheLevel]: message.level,
          [ATTR.cacheResult]: message.result,
        },
      },
      runtime.store.active(),
    );
    setDefined(span, ATTR.cacheEntryAgeMs, message.ageMs);
    setDefined(span, ATTR.templateId, message.templateId);
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
