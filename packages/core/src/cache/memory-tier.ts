import { LRUCache } from "lru-cache";
import type { Clock } from "../clock/clock.js";
import { plain, publish } from "../diagnostics/publish.js";
import { NextGenError } from "../errors/next-gen-error.js";
import type { CacheEntry, CacheSetOptions, CacheTier } from "./cache-tier.js";
import type { InProcessCacheSettings } from "./in-process-cache.js";
import { optionalClock, optionalPositive } from "./validate-options.js";

/**
 * Options of {@link memoryTier}.
 *
 * @example
 * ```ts
 * memoryTier({ maxEntries: 10_000, maxBytes: 64 * 1024 * 1024, ttlMs: 300_000 });
 * ```
 */
export interface MemoryTierOptions {
  /** Tier name in diagnostics and health. @default "memory" */
  name?: string;
  /** Most entries held; the least recently used leaves first. @default 10_000 */
  maxEntries?: number;
  /** Most bytes held (byte entries by length, objects by their declared `sizeBytes`). @default 64 MiB */
  maxBytes?: number;
  /** Default time to live in milliseconds; absent for no expiry. */
  ttlMs?: number;
  /**
   * Wall clock (milliseconds since the epoch), for `storedAt` and `expiresAt`. When
   * injected without `monotonicClock`, it also drives expiry (tests inject one fake clock
   * for both). @default wallClock
   */
  clock?: Clock;
  /**
   * Monotonic clock, for expiry: a wall clock stepped back must not keep entries longer,
   * nor one stepped forward drop them early.
   * @default monotonicClock (or `clock` when only that is injected)
   */
  monotonicClock?: Clock;
}

interface Slot {
  readonly bytes: Uint8Array;
  readonly storedAt: number;
  /** Wall-clock expiry reported in entries. */
  readonly expiresAt: number | undefined;
  /** Monotonic expiry that decides. */
  readonly expiresAtMono: number | undefined;
  readonly size: number;
}

/**
 * The in-memory byte tier, with the optional members it always has.
 *
 * @example
 * ```ts
 * const memory: MemoryTier = memoryTier();
 * console.log(memory.name, await memory.size());
 * ```
 */
export interface MemoryTier extends CacheTier {
  size(): Promise<number>;
  health(): Promise<{ status: "healthy" | "degraded" | "unhealthy"; reason?: string }>;
  close(): Promise<void>;
}

// What each memoryTier was configured with, for a tiered cache that finds it in `layers`.
const settingsOf = new WeakMap<CacheTier, InProcessCacheSettings>();

/**
 * The in-process cache settings of `tier` when it is a {@link memoryTier}, else `undefined`:
 * a tiered cache takes a memoryTier in its `layers` as the bounds of its own in-process
 * cache rather than as a byte level (one copy of each template in memory, not two).
 * @internal
 */
export function memoryTierSettings(tier: CacheTier): InProcessCacheSettings | undefined {
  return settingsOf.get(tier);
}

/**
 * An in-memory byte tier on `lru-cache`, bounded by entries and by bytes, with a TTL: a
 * {@link CacheTier} like any other (it runs `testCacheTier`). In a tiered cache's (or a
 * factory's) `layers` it sets the bounds of the cache's own in-process cache of verified
 * templates instead (`maxEntries`, `maxBytes`, `ttlMs`), so that existing configurations
 * keep their meaning without holding each template twice.
 *
 * @example
 * ```ts
 * const factory = createAgentFactory({
 *   source, trust, kinds,
 *   cache: { layers: [memoryTier({ maxEntries: 10_000, maxBytes: 32 * 1024 * 1024 })] },
 * });
 * ```
 */
export function memoryTier(options: MemoryTierOptions = {}): MemoryTier {
  const name = options.name ?? "memory";
  const maxEntries = optionalPositive("options.maxEntries", options.maxEntries) ?? 10_000;
  const maxBytes = optionalPositive("options.maxBytes", options.maxBytes) ?? 64 * 1024 * 1024;
  const defaultTtlMs = optionalPositive("options.ttlMs", options.ttlMs);
  const wall = optionalClock("options.clock", options.clock, "wall");
  const monotonicOption = optionalClock("options.monotonicClock", options.monotonicClock, "monotonic") ?? wall;
  const clock = wall === undefined ? Date.now : () => wall.now();
  const monotonic = monotonicOption === undefined ? () => performance.now() : () => monotonicOption.now();
  // Allocated on first use: a memoryTier that only configures a cache's in-process cache holds nothing.
  let table: LRUCache<string, Slot> | undefined;
  const slotsOf = (): LRUCache<string, Slot> =>
    (table ??= new LRUCache<string, Slot>({
      max: maxEntries,
      maxSize: maxBytes,
      sizeCalculation: (slot) => slot.size,
      dispose: (_slot, key, reason) => {
        // Deletes and overwrites are ours to report; lru-cache's own TTL is unused (the clock is injected).
        if (reason === "evict") publish(plain.cacheEvict, () => ({ tier: name, key, reason: "capacity" }));
      },
    }));
  let closed = false;

  const live = (key: string): Slot | undefined => {
    if (closed) throw new NextGenError("NG_ERR_CACHE_CLOSED", `cache tier "${name}" is closed`);
    const slot = slotsOf().get(key);
    if (slot === undefined) return undefined;
    if (slot.expiresAtMono !== undefined && monotonic() >= slot.expiresAtMono) {
      slotsOf().delete(key);
      publish(plain.cacheEvict, () => ({ tier: name, key, reason: "expired" }));
      return undefined;
    }
    return slot;
  };
  const store = (
    key: string,
    slot: Omit<Slot, "storedAt" | "expiresAt" | "expiresAtMono">,
    ttlMs: number | undefined,
  ): void => {
    if (closed) throw new NextGenError("NG_ERR_CACHE_CLOSED", `cache tier "${name}" is closed`);
    const storedAt = clock();
    const ttl = ttlMs ?? defaultTtlMs;
    // An entry larger than the whole tier is not cached (lru-cache would refuse it anyway).
    if (slot.size > maxBytes) {
      remove(key);
      return;
    }
    slotsOf().set(key, {
      ...slot,
      storedAt,
      expiresAt: ttl === undefined ? undefined : storedAt + ttl,
      expiresAtMono: ttl === undefined ? undefined : monotonic() + ttl,
    });
  };
  const remove = (key: string): boolean => slotsOf().delete(key);

  const tier: MemoryTier = {
    name,
    async get(key): Promise<CacheEntry | undefined> {
      const slot = live(key);
      if (slot === undefined) return undefined;
      return slot.expiresAt === undefined
        ? { value: slot.bytes, storedAt: slot.storedAt }
        : { value: slot.bytes, storedAt: slot.storedAt, expiresAt: slot.expiresAt };
    },
    async set(key, value, setOptions?: CacheSetOptions): Promise<void> {
      store(key, { bytes: value, size: Math.max(1, value.byteLength) }, setOptions?.ttlMs);
    },
    async delete(key): Promise<boolean> {
      if (closed) throw new NextGenError("NG_ERR_CACHE_CLOSED", `cache tier "${name}" is closed`);
      return remove(key);
    },
    async clear(): Promise<void> {
      table?.clear();
    },
    async size(): Promise<number> {
      return table?.calculatedSize ?? 0;
    },
    async health() {
      return closed ? { status: "unhealthy" as const, reason: "closed" } : { status: "healthy" as const };
    },
    async close(): Promise<void> {
      if (closed) return;
      table?.clear();
      closed = true;
    },
  };
  settingsOf.set(tier, { name, maxEntries, maxBytes, ttlMs: defaultTtlMs });
  return tier;
}
