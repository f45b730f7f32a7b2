// The option and report types of the factory's cache: a leaf file (type imports of other
// leaf contracts only), so that `factory-types.ts` can name them without importing the
// cache's implementation.
import type { Clock } from "../clock/clock.js";
import type { CacheTier } from "./cache-tier.js";
import type { InvalidationBus } from "./invalidation-bus.js";

/**
 * The tiered part of `createAgentFactory`'s `cache` option. (A type alias, not an
 * interface, so that option validators can treat it as a plain record.)
 *
 * @example
 * ```ts
 * const cache: TemplateCacheOptions = { layers: [memoryTier(), redisTier({ url })], lowerTtlMs: 3_600_000, notFoundTtlMs: 1_000 };
 * ```
 */
export type TemplateCacheOptions = {
  /**
   * Cache tiers, fastest first: `memoryTier()` (L1, verified templates), then byte tiers
   * such as `fileTier({ dir, codec })` and `redisTier(…)`, which are untrusted: every
   * template coming up from them is parsed and verified again.
   */
  layers?: CacheTier[];
  /** How long a cached template counts as fresh, in milliseconds (monotonic). @default no expiry (until invalidated) */
  ttlMs?: number;
  /** After `ttlMs`, how long a stale template is served while the source fails, in milliseconds (monotonic). @default 60_000 */
  staleGraceMs?: number;
  /** Time to live of entries in the lower tiers, in milliseconds. @default the tier's own */
  lowerTtlMs?: number;
  /** How long "no such template" is remembered, in milliseconds (monotonic). @default 1_000 */
  notFoundTtlMs?: number;
  /** Time limit of one lower-tier call, in milliseconds. @default 250 */
  tierTimeoutMs?: number;
  /** Tells other instances (and hears from them) when a template changes or is revoked. */
  bus?: InvalidationBus;
  /**
   * Wall clock (milliseconds since the epoch), for absolute bounds (signature `exp`, key
   * `notAfter`) and timestamps. When injected without `monotonicClock`, it also drives the
   * relative times (tests inject one fake clock for both). @default wallClock
   */
  clock?: Clock;
  /**
   * Monotonic clock, for relative times (`ttlMs`, `staleGraceMs`, `notFoundTtlMs`): a wall
   * clock stepped back a day must not keep "not found" for a day.
   * @default monotonicClock (or `clock` when only that is injected)
   */
  monotonicClock?: Clock;
};

/**
 * `createAgentFactory`'s `cache` option: the in-process cache of verified, resolved
 * templates, the tiers below it, hot reload and the bus.
 *
 * @example
 * ```ts
 * createAgentFactory({ source, trust, kinds, cache: { layers: [memoryTier(), fileTier({ dir })], ttlMs: 300_000, hotReload: true } });
 * ```
 */
export type FactoryCacheOptions = TemplateCacheOptions & {
  /**
   * Most cache keys of the resolved-template cache (each template takes two: `id@version`
   * and its digest).
   * @default 1000
   */
  maxEntries?: number;
  /**
   * Watch the source (`directorySource` can) and apply changes as they come: each
   * changed template is decoded, verified, validated and resolved first; a bad update
   * keeps the last good version. Agents already created keep their template.
   * @default false
   */
  hotReload?: boolean;
};

/**
 * What `factory.prewarm` did.
 *
 * @example
 * ```ts
 * const { loaded, failed } = await factory.prewarm(["security/auditor", "code/reviewer@2.0.0"]);
 * for (const miss of failed) console.warn(miss.id, miss.code);
 * ```
 */
export interface PrewarmReport {
  /** Ids (or `id@version`) now in the caches. */
  loaded: string[];
  /** Those that could not be loaded, with the error code. */
  failed: { id: string; code: string; message: string }[];
}
