import { plain, publish } from "../diagnostics/publish.js";
import { lookupStarted, publishLookup } from "./lookup-diagnostics.js";

/** One value held in process, with the times that decide whether it is served. @internal */
export interface HeldValue<T> {
  readonly value: T;
  /** Monotonic time until which the value is fresh; `Infinity` for no bound. */
  readonly freshUntil: number;
  /** Wall-clock time it was stored (lookup ages). */
  readonly storedAt: number;
}

interface Slot<T> extends HeldValue<T> {
  /** Monotonic time after which the value is dropped (fresh time + stale grace); `Infinity` for never. */
  readonly dropAt: number;
  readonly size: number;
  /** The store count when it last moved to the recent end. */
  moved: number;
}

/** Bounds of the {@link InProcessCache}. @internal */
export interface InProcessCacheSettings {
  /** Name in `nextgen:cache.evict` and in stats. */
  readonly name: string;
  readonly maxEntries: number;
  readonly maxBytes: number;
  /** Upper bound of any value's life here, in milliseconds; absent for none. */
  readonly ttlMs: number | undefined;
}

/**
 * L1 of a tiered cache: the one in-process store of verified values, bounded by entries
 * and bytes, least recently used first out. It is internal (no tier contract): lower tiers
 * only ever see bytes. Times are read from the clocks the tiered cache was given, so fake
 * clocks drive expiry in tests.
 *
 * It is a `Map` in recency order (oldest first) rather than `lru-cache`, because a hit is
 * the warm create's path: a hit is one `Map` lookup, and moves the entry to the recent end
 * only when something was stored since it last moved. The entries hit since the latest
 * store are all more recent than it, so eviction (which only a store causes) picks the same
 * least recently used entries as a move on every hit would.
 * @internal
 */
export class InProcessCache<T> {
  readonly name: string;
  readonly #slots = new Map<string, Slot<T>>();
  readonly #settings: InProcessCacheSettings;
  readonly #wall: () => number;
  readonly #monotonic: () => number;
  readonly #stats: { hits: number };
  #bytes = 0;
  // Stores so far: a slot whose `moved` equals it moved to the recent end after the latest store.
  #stores = 0;

  constructor(
    settings: InProcessCacheSettings,
    wall: () => number,
    monotonic: () => number,
    stats: { hits: number } = { hits: 0 },
  ) {
    this.name = settings.name;
    this.#stats = stats;
    this.#settings = settings;
    this.#wall = wall;
    this.#monotonic = monotonic;
  }

  /** The value under `key` unless its life (fresh time + grace) ended; the warm path. */
  get(key: string): HeldValue<T> | undefined {
    const slot = this.#slots.get(key);
    if (slot === undefined) return undefined;
    if (slot.dropAt !== Number.POSITIVE_INFINITY && this.#monotonic() >= slot.dropAt) {
      this.#remove(key, slot);
      publish(plain.cacheEvict, () => ({ tier: this.name, key, reason: "expired" }));
      return undefined;
    }
    if (slot.moved !== this.#stores) {
      this.#slots.delete(key);
      this.#slots.set(key, slot);
      slot.moved = this.#stores;
    }
    return slot;
  }

  /**
   * The value under `key` while it is fresh (counted as a hit, and published on
   * `nextgen:cache.lookup` when anyone listens), else `undefined`: the warm create's path,
   * a method of this class so that every factory's call of it is the same function.
   */
  fresh(key: string): T | undefined {
    const started = lookupStarted();
    const slot = this.get(key);
    if (slot === undefined || (slot.freshUntil !== Number.POSITIVE_INFINITY && this.#monotonic() >= slot.freshUntil)) {
      return undefined;
    }
    this.#stats.hits += 1;
    if (started !== 0) publishLookup(this.name, 0, key, "hit", started);
    return slot.value;
  }

  /** The value under `key` while it is fresh, without counting or publishing a lookup (a check, not a read). */
  holding(key: string): T | undefined {
    const slot = this.#slots.get(key);
    if (slot === undefined || (slot.freshUntil !== Number.POSITIVE_INFINITY && this.#monotonic() >= slot.freshUntil)) {
      return undefined;
    }
    return slot.value;
  }

  /** Holds `value`, fresh for `freshMs` then served stale for `graceMs` (both absent: until evicted). */
  set(key: string, value: T, sizeBytes: number, freshMs: number | undefined, graceMs: number): void {
    const size = Math.max(1, sizeBytes);
    const held = this.#slots.get(key);
    if (held !== undefined) this.#remove(key, held);
    // A value larger than the whole cache is not kept.
    if (size > this.#settings.maxBytes) return;
    const now = this.#monotonic();
    const bound = this.#settings.ttlMs;
    const freshUntil = Math.min(
      freshMs === undefined ? Number.POSITIVE_INFINITY : now + freshMs,
      bound === undefined ? Number.POSITIVE_INFINITY : now + bound,
    );
    const dropAt = Math.min(
      freshMs === undefined ? Number.POSITIVE_INFINITY : now + freshMs + graceMs,
      bound === undefined ? Number.POSITIVE_INFINITY : now + bound,
    );
    this.#stores += 1;
    this.#slots.set(key, { value, freshUntil, dropAt, storedAt: this.#wall(), size, moved: this.#stores });
    this.#bytes += size;
    for (const [oldest, slot] of this.#slots) {
      if (this.#slots.size <= this.#settings.maxEntries && this.#bytes <= this.#settings.maxBytes) break;
      this.#remove(oldest, slot);
      publish(plain.cacheEvict, () => ({ tier: this.name, key: oldest, reason: "capacity" }));
    }
  }

  /** Drops `key`; `true` when it was held. */
  delete(key: string): boolean {
    const slot = this.#slots.get(key);
    if (slot === undefined) return false;
    this.#remove(key, slot);
    return true;
  }

  /** Key and value of every entry held. */
  *entries(): IterableIterator<[string, T]> {
    for (const [key, slot] of this.#slots) yield [key, slot.value];
  }

  /** Number of keys held. */
  get size(): number {
    return this.#slots.size;
  }

  /** Drops everything. */
  clear(): void {
    this.#slots.clear();
    this.#bytes = 0;
  }

  #remove(key: string, slot: Slot<T>): void {
    this.#slots.delete(key);
    this.#bytes -= slot.size;
  }
}
