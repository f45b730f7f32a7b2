import type { CacheLookupMessage } from "../diagnostics/payloads.js";
import { plain, publish } from "../diagnostics/publish.js";

/**
 * When a lookup started, for `durationMs`; 0 (and no clock read) when nobody listens
 * on `nextgen:cache.lookup`, so the warm path pays one property read.
 * @internal
 */
export function lookupStarted(): number {
  return plain.cacheLookup.hasSubscribers ? performance.now() : 0;
}

/** Publishes one `nextgen:cache.lookup` message, if anyone listens. @internal */
export function publishLookup(
  tier: string,
  level: number,
  key: string,
  result: CacheLookupMessage["result"],
  startedAt: number,
  ageMs?: number,
): void {
  publish(plain.cacheLookup, () => {
    const message: CacheLookupMessage = { tier, level, result, key, durationMs: performance.now() - startedAt };
    if (ageMs !== undefined) message.ageMs = ageMs;
    return message;
  });
}
