import type { CacheLookupMessage } from "../diagnostics/payloads.js";
import { plain, publish } from "../diagnostics/publish.js";
import { NextGenError } from "../errors/next-gen-error.js";
import { BoundedMap } from "./bounded-map.js";
import { callerWait } from "./caller-wait.js";
import { InProcessCache } from "./in-process-cache.js";
import { isInvalidationMessage } from "./invalidation-bus.js";
import { lookupStarted, publishLookup } from "./lookup-diagnostics.js";
import { LowerTiers } from "./lower-tiers.js";
import { memoryTierSettings } from "./memory-tier.js";
import { resolveTieredOptions } from "./resolve-tiered-options.js";
import { tierHealthReport } from "./tier-health.js";
import type {
  InvalidateOptions,
  LoadedValue,
  TieredCache,
  TieredCacheOptions,
  TierHealth,
  TierStats,
} from "./tiered-cache-options.js";

const MAX_RELOADS = 5;
// Keys this instance loaded, so that a remote message naming others costs nothing.
const MAX_LOADED_KEYS = 100_000;
// What `held` returns when L1 cannot answer and the key must load.
const MISS: unique symbol = Symbol("miss");
const closedError = (): NextGenError => new NextGenError("NG_ERR_CACHE_CLOSED", "the tiered cache is closed");

/** One load in flight: its shared promise, and the one continuation every `getThen` caller of the key shares. */
interface Flight<T> {
  readonly promise: Promise<T | undefined>;
  continued: Promise<unknown> | undefined;
}

/**
 * A multi-level cache: L1 holds verified, frozen values; lower tiers hold signed bytes
 * and are untrusted, so whatever comes up from them goes through `admit` (verify)
 * again. Loads are single-flight per key; an invalidation during a load wins; "not
 * found" is remembered briefly; a stale value is served within a grace window while a
 * refresh runs or the source fails; every lower-tier call has a time limit, and a
 * failing tier is skipped, never surfaced.
 *
 * @example
 * ```ts
 * const cache = createTieredCache({
 *   layers: [memoryTier(), fileTier({ dir, codec })],
 *   load: async (key) => readVerifyAndFreeze(key),
 *   admit: async (bytes) => parseVerifyAndFreeze(bytes),
 * });
 * const template = await cache.get("security/auditor@1.2.0");
 * ```
 */
export function createTieredCache<T extends object>(options: TieredCacheOptions<T>): TieredCache<T> {
  return tieredCache(options);
}

/** What the template cache built on a tiered cache also uses. @internal */
export interface TieredCacheInternals<T extends object> extends TieredCache<T> {
  /** The invalidation generation: bumped by every invalidation. */
  generation(): number;
  /** Drops from L1 (only) every value `drop` selects, as an invalidation (generation bumped). */
  dropWhere(drop: (value: T) => boolean): void;
  /**
   * `get(key)` followed by `then`, where every caller of a key that is loading gets one
   * shared promise of `then`'s result (run once, after the load): a stampede waits on one
   * promise for the whole pipeline, not one chain per caller. Every caller of a key must
   * pass an equivalent `then` (only the first one's runs), and `then` must not wait on a
   * `getThen` itself (a `get` is fine).
   */
  getThen<R>(key: string, then: (value: T | undefined) => Promise<R>): Promise<R>;
  /** L1 itself: `l1.fresh(key)` is `peek(key)` as one call of a class method (the warm create's path). */
  readonly l1: InProcessCache<T>;
  /** The fresh L1 value under `key` without counting or publishing a lookup: a check, not a read. */
  holding(key: string): T | undefined;
}

/** {@link createTieredCache} with the members the factory's template cache uses. @internal */
export function tieredCache<T extends object>(options: TieredCacheOptions<T>): TieredCacheInternals<T> {
  const {
    ttlMs,
    staleGraceMs,
    lowerTtlMs,
    notFoundTtlMs,
    tierTimeoutMs,
    clock,
    monotonicClock: monotonic,
    shared,
    instanceId,
    bus,
  } = resolveTieredOptions(options);
  const { load, admit } = options;

  // A memoryTier in `layers` bounds the in-process cache; every other layer is a byte tier.
  const settings = options.layers.map(memoryTierSettings).find((found) => found !== undefined);
  const l1Settings = settings ?? { name: "memory", maxEntries: 10_000, maxBytes: 64 * 1024 * 1024, ttlMs: undefined };
  const lowerTiers = options.layers.filter((tier) => memoryTierSettings(tier) === undefined);
  const stats: TierStats[] = [l1Settings.name, ...lowerTiers.map((tier) => tier.name)].map((tier, level) => ({
    tier,
    level,
    hits: 0,
    misses: 0,
    stale: 0,
    errors: 0,
    refused: 0,
  }));
  // L1's counters, read on every warm hit.
  const l1Stats = stats[0]!;
  const l1 = new InProcessCache<T>(l1Settings, clock, monotonic, l1Stats);
  const counters = { loads: 0, notFoundHits: 0 };
  // One generation for the whole cache: an invalidation bumps it, and work started under an
  // older one (a load, a write-back) does not land.
  let generationCounter = 0;
  const inflight = new Map<string, Flight<T>>();
  const notFound = new BoundedMap<string, number>(10_000);
  const loadedKeys = new BoundedMap<string, true>(MAX_LOADED_KEYS);
  let closed = false;

  const generation = (): number => generationCounter;
  const lower = new LowerTiers<T>({ tiers: lowerTiers, stats, admit, tierTimeoutMs, lowerTtlMs, clock, generation });
  const lookup = (level: number, key: string, result: CacheLookupMessage["result"], started: number, ageMs?: number) =>
    publishLookup(stats[level]!.tier, level, key, result, started, ageMs);
  const startedAt = lookupStarted;

  const keep = (key: string, loaded: LoadedValue<T>): void => {
    l1.set(key, loaded.value, loaded.bytes.byteLength, ttlMs, staleGraceMs);
    loadedKeys.set(key, true);
  };
  const fromLowerTiers = async (key: string, since: number): Promise<T | undefined> => {
    if (!shared(key)) return undefined;
    const hit = await lower.read(key);
    if (hit === undefined) return undefined;
    if (generation() === since) {
      keep(key, hit);
      // Copy up into the faster byte tiers that missed.
      lower.writeBack(key, hit.bytes, hit.index, since);
    }
    return hit.value;
  };
  const fromSource = async (key: string, since: number): Promise<T | undefined> => {
    counters.loads += 1;
    const loaded = await load(key, {});
    if (generation() !== since) return loaded?.value;
    if (loaded === undefined) {
      if (notFoundTtlMs > 0) notFound.set(key, monotonic() + notFoundTtlMs);
      return undefined;
    }
    for (const alias of [key, ...(loaded.alsoAs ?? [])]) {
      keep(alias, loaded);
      if (shared(alias)) lower.writeBack(alias, loaded.bytes, lowerTiers.length, generation());
    }
    return loaded.value;
  };
  const fill = async (key: string, refresh: boolean): Promise<T | undefined> => {
    let result: T | undefined;
    for (let attempt = 0; attempt < MAX_RELOADS; attempt += 1) {
      const since = generation();
      result = refresh
        ? await fromSource(key, since)
        : ((await fromLowerTiers(key, since)) ?? (await fromSource(key, since)));
      // An invalidation arrived while loading: what we read may be the old version, so read again.
      if (generation() === since) return result;
    }
    return result;
  };
  // The shared load takes no caller's signal (see callerWait): one caller aborting must not fail the others.
  const flight = (key: string, refresh: boolean): Flight<T> => {
    const running = inflight.get(key);
    if (running !== undefined) return running;
    const started: Flight<T> = {
      promise: fill(key, refresh).finally(() => {
        if (inflight.get(key) === started) inflight.delete(key);
      }),
      continued: undefined,
    };
    inflight.set(key, started);
    return started;
  };
  const singleFlight = (key: string, refresh: boolean): Promise<T | undefined> => flight(key, refresh).promise;
  // What L1 (or the not-found memo) answers for `key` without loading, or MISS.
  const held = (key: string): T | undefined | typeof MISS => {
    const started = startedAt();
    const slot = l1.get(key);
    if (slot !== undefined) {
      if (slot.freshUntil === Number.POSITIVE_INFINITY || monotonic() < slot.freshUntil) {
        l1Stats.hits += 1;
        if (started !== 0) lookup(0, key, "hit", started, clock() - slot.storedAt);
        return slot.value;
      }
      // Stale within the grace window (L1 drops it after that): serve it, refresh behind.
      l1Stats.stale += 1;
      if (started !== 0) lookup(0, key, "stale", started, clock() - slot.storedAt);
      void singleFlight(key, true).catch(() => undefined);
      return slot.value;
    }
    l1Stats.misses += 1;
    if (started !== 0) lookup(0, key, "miss", started);
    const rememberedUntil = notFound.get(key);
    if (rememberedUntil !== undefined) {
      if (monotonic() < rememberedUntil) {
        counters.notFoundHits += 1;
        return undefined;
      }
      notFound.delete(key);
    }
    return MISS;
  };

  const dropLocal = (keys: readonly string[], onDropped?: () => void, lowerToo = true): Promise<void> => {
    const forget = (): void => {
      generationCounter += 1;
      for (const key of keys) {
        notFound.delete(key);
        if (l1.delete(key)) publish(plain.cacheEvict, () => ({ tier: l1.name, key, reason: "invalidated" }));
      }
    };
    forget();
    try {
      onDropped?.();
    } catch {
      // A listener's failure must not keep the lower tiers from being cleaned.
    }
    if (!lowerToo) return Promise.resolve();
    const deletes = lower.delete(keys);
    // Loads that started while the lower tiers still held the old bytes must not land: forget again.
    return deletes.then(forget);
  };
  const unsubscribe = bus?.subscribe((message) => {
    // Network input: checked first (shape, key count and length), then only keys this instance loaded.
    if (closed || !isInvalidationMessage(message) || message.origin === instanceId) return;
    if (message.all === true) {
      const everything = [...new Set([...loadedKeys.keys(), ...notFound.keys()])];
      loadedKeys.clear();
      // L1 only: lower tiers hold `id@version` bytes, which a missed message cannot make wrong
      // (and every instance deleting them all from a shared tier at once would be a stampede).
      void dropLocal(everything, () => options.onRemoteInvalidation?.(message), false).catch(() => undefined);
      return;
    }
    const mine = message.keys.filter((key) => loadedKeys.has(key) || inflight.has(key) || notFound.has(key));
    for (const key of mine) loadedKeys.delete(key);
    void dropLocal(mine, () => options.onRemoteInvalidation?.(message)).catch(() => undefined);
  });

  return {
    generation,
    dropWhere(drop: (value: T) => boolean): void {
      const keys: string[] = [];
      for (const [key, value] of l1.entries()) if (drop(value)) keys.push(key);
      void dropLocal(keys, undefined, false);
    },
    peek: (key: string): T | undefined => l1.fresh(key),
    holding: (key: string): T | undefined => l1.holding(key),
    l1,
    // Not `async`: a miss hands every concurrent caller the one shared load promise itself.
    get(key, getOptions): Promise<T | undefined> {
      if (closed) return Promise.reject(closedError());
      const found = held(key);
      if (found !== MISS) return Promise.resolve(found);
      return callerWait(singleFlight(key, false), key, getOptions?.signal);
    },
    getThen<R>(key: string, then: (value: T | undefined) => Promise<R>): Promise<R> {
      if (closed) return Promise.reject(closedError());
      const found = held(key);
      if (found !== MISS) return then(found);
      const running = flight(key, false);
      running.continued ??= running.promise.then(then);
      return running.continued as Promise<R>;
    },
    async invalidate(keys, invalidateOptions: InvalidateOptions = {}): Promise<void> {
      const list = typeof keys === "string" ? [keys] : [...keys];
      const reason = invalidateOptions.reason ?? "manual";
      await dropLocal(list);
      if (bus !== undefined && invalidateOptions.broadcast !== false) {
        await bus.publish({ keys: list, reason, origin: instanceId }).catch(() => undefined);
      }
    },
    async prewarm(keys): Promise<string[]> {
      const failed: string[] = [];
      await Promise.all(
        keys.map(async (key) => {
          const value = await this.get(key).catch(() => undefined);
          if (value === undefined) failed.push(key);
        }),
      );
      return failed;
    },
    stats() {
      return { tiers: stats.map((tier) => ({ ...tier })), ...counters };
    },
    health: async (): Promise<TierHealth[]> => [
      { name: l1.name, status: closed ? "unhealthy" : "healthy", ...(closed ? { reason: "closed" } : {}) },
      ...(await tierHealthReport(lowerTiers, bus, tierTimeoutMs)),
    ],
    idle: (): Promise<void> => lower.idle(),
    async close(): Promise<void> {
      if (closed) return;
      closed = true;
      unsubscribe?.();
      await this.idle();
      // The cache owns what it was given: its layers and its bus (do not share them between caches).
      l1.clear();
      await Promise.all(options.layers.map((tier) => tier.close?.().catch(() => undefined)));
      await bus?.close?.().catch(() => undefined);
    },
  };
}
