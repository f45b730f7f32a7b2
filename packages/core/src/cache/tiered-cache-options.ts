import type { Clock } from "../clock/clock.js";
import type { CacheTier } from "./cache-tier.js";
import type { InvalidationBus, InvalidationMessage } from "./invalidation-bus.js";

/**
 * What `admit` is told about bytes that came up from a lower tier.
 *
 * @example
 * ```ts
 * const admit = async (bytes: Uint8Array, { key, tier, signal }: AdmitContext) => verifyAndFreeze(bytes, { signal });
 * ```
 */
export interface AdmitContext {
  /** Cache key. */
  key: string;
  /** Name of the tier the bytes came from. */
  tier: string;
  /** Aborts the admission (the cache's own timeouts, or the caller's signal). */
  signal?: AbortSignal;
}

/**
 * What `load` resolves: a trusted value and the signed bytes lower tiers keep for it.
 *
 * @example
 * ```ts
 * const load = async (key: string): Promise<LoadedValue<Template> | undefined> => {
 *   const bytes = await readFromStore(key);
 *   return bytes && { value: await verifyAndFreeze(bytes), bytes };
 * };
 * ```
 */
export interface LoadedValue<T> {
  /** The verified, validated, frozen value that L1 keeps and `get` returns. */
  value: T;
  /** The signed bytes it came from, written to the lower tiers (which stay untrusted). */
  bytes: Uint8Array;
  /**
   * Other keys the same value is kept under (in L1, and in lower tiers when `shared`
   * allows), such as `id@1.2.0` for a load of `id`.
   */
  alsoAs?: readonly string[];
}

/**
 * Options of {@link createTieredCache}.
 *
 * @example
 * ```ts
 * createTieredCache({ layers: [memoryTier(), fileTier({ dir })], load, admit, ttlMs: 60_000, tierTimeoutMs: 100 });
 * ```
 */
export interface TieredCacheOptions<T extends object> {
  /**
   * Byte tiers below the in-process cache (which holds verified values and is always
   * there), fastest first. A `memoryTier()` among them sets the in-process cache's
   * bounds (`maxEntries`, `maxBytes`, `ttlMs`) instead of adding a byte level; without
   * one, it holds up to 10,000 entries and 64 MiB.
   */
  layers: readonly CacheTier[];
  /**
   * Reads `key` from the source of truth and returns the verified value and its
   * signed bytes, or `undefined` when the source does not hold it. Rejects on failure.
   */
  load: (key: string, context: { signal?: AbortSignal }) => Promise<LoadedValue<T> | undefined>;
  /**
   * Turns bytes from a lower tier into a trusted value: decode, parse, **verify**,
   * validate, freeze. Rejects to refuse them: the entry is then evicted from that tier.
   * Never make this skip verification: lower tiers are untrusted.
   */
  admit: (bytes: Uint8Array, context: AdmitContext) => Promise<T>;
  /** How long an L1 value counts as fresh, in milliseconds. @default no expiry (until invalidated or evicted) */
  ttlMs?: number;
  /**
   * After `ttlMs`, how long a stale value is still served (and refreshed in the
   * background) when the source or the tiers fail, in milliseconds. @default 60_000
   */
  staleGraceMs?: number;
  /** Time to live of entries written to lower tiers, in milliseconds. @default the tier's own default */
  lowerTtlMs?: number;
  /** How long a "not found" answer is remembered, in milliseconds; 0 disables. @default 1_000 */
  notFoundTtlMs?: number;
  /** Per-tier time limit of one lower-tier operation, in milliseconds. @default 250 */
  tierTimeoutMs?: number;
  /** Carries invalidations to and from other instances. */
  bus?: InvalidationBus;
  /**
   * Called after an invalidation from another instance was applied here, so that
   * caches above this one (resolved templates, agent bindings) drop the same keys.
   */
  onRemoteInvalidation?: (message: InvalidationMessage) => void;
  /** Id of this instance on the bus. @default a random UUID */
  instanceId?: string;
  /**
   * Whether lower tiers may hold `key`. A key that is not shared lives in L1 only and is
   * always loaded from the source (the template cache keeps "latest" this way, so that a
   * shared tier cannot decide which version is the latest). @default every key is shared
   */
  shared?: (key: string) => boolean;
  /**
   * Wall clock (milliseconds since the epoch), for timestamps (`storedAt`, ages, audit
   * events). When injected without `monotonicClock`, it also drives relative times (tests
   * inject one fake clock for both). @default wallClock
   */
  clock?: Clock;
  /**
   * Monotonic clock for relative times (`ttlMs` freshness, the not-found memo): stepping
   * the wall clock back a day must not keep "not found" for a day.
   * @default monotonicClock (or `clock` when only that is injected)
   */
  monotonicClock?: Clock;
}

/**
 * Counters of one tier since the cache was created.
 *
 * @example
 * ```ts
 * for (const tier of cache.stats().tiers) console.log(tier.tier, tier.hits / Math.max(1, tier.hits + tier.misses));
 * ```
 */
export interface TierStats {
  /** Tier name. */
  tier: string;
  /** Position, 0 for L1. */
  level: number;
  /** Lookups answered by this tier (for lower tiers: admitted entries). */
  hits: number;
  /** Lookups this tier could not answer. */
  misses: number;
  /** Stale L1 values served while a refresh ran. */
  stale: number;
  /** Failed or timed-out operations. */
  errors: number;
  /** Entries refused by `admit` (tampered or no longer trusted) and evicted. */
  refused: number;
}

/**
 * Counters of a tiered cache.
 *
 * @example
 * ```ts
 * const { loads, notFoundHits, tiers } = cache.stats();
 * ```
 */
export interface TieredCacheStats {
  /** One entry per tier, L1 first. */
  tiers: TierStats[];
  /** Source loads started. */
  loads: number;
  /** Lookups answered by a remembered "not found". */
  notFoundHits: number;
}

/**
 * Options of `TieredCache.invalidate`.
 *
 * @example
 * ```ts
 * await cache.invalidate(["security/auditor"], { reason: "revoked", broadcast: true });
 * ```
 */
export interface InvalidateOptions {
  /** Why, as sent on the bus. @default "manual" */
  reason?: InvalidationMessage["reason"];
  /** Whether to tell other instances through the bus. @default true */
  broadcast?: boolean;
}

/**
 * Health of one tier (and of the bus, named `bus`).
 *
 * @example
 * ```ts
 * const unhealthy = (await cache.health()).filter((tier) => tier.status !== "healthy");
 * ```
 */
export interface TierHealth {
  /** Tier name. */
  name: string;
  /** Status. */
  status: "healthy" | "degraded" | "unhealthy";
  /** Why it is not healthy. */
  reason?: string;
}

/**
 * A multi-level cache of verified values over untrusted byte tiers.
 *
 * @example
 * ```ts
 * const cache: TieredCache<Template> = createTieredCache({ layers: [memoryTier()], load, admit });
 * const template = cache.peek(key) ?? (await cache.get(key));
 * ```
 */
export interface TieredCache<T extends object> {
  /** The value under `key` (L1, then lower tiers, then the source), or `undefined` when the source does not hold it. */
  get(key: string, options?: { signal?: AbortSignal }): Promise<T | undefined>;
  /** The fresh L1 value under `key`, synchronously, or `undefined` (the warm path). */
  peek(key: string): T | undefined;
  /** Drops `keys` from every tier; loads in flight for them are redone. */
  invalidate(keys: string | readonly string[], options?: InvalidateOptions): Promise<void>;
  /** Loads `keys` into the tiers ahead of use; resolves with the keys that failed or were not found. */
  prewarm(keys: readonly string[]): Promise<string[]>;
  /** Counters per tier. */
  stats(): TieredCacheStats;
  /** Health of each tier and of the bus. */
  health(): Promise<TierHealth[]>;
  /** Resolves when background writes to lower tiers have settled. */
  idle(): Promise<void>;
  /** Waits for background writes, then closes the layers and the bus it was given. Idempotent. */
  close(): Promise<void>;
}
