import { LRUCache } from "lru-cache";
import { plain, publish } from "../diagnostics/publish.js";

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
 * L1 of a tiered cache: the one in-process store of verified values, on `lru-cache`,
 * bounded by entries and bytes. It is internal (no tier contract): lower tiers only ever
 * see bytes. Times are read from the clocks the tiered cache was given, so fake clocks
 * drive expiry in tests.
 * @internal
 */
export class InProcessCache<T> {
  readonly name: string;
  readonly #slots: LRUCache<string, Slot<T>>;
  readonly #settings: InProcessCacheSettings;
  readonly #wall: () => number;
  readonly #monotonic: () => number;

  constructor(settings: InProcessCacheSettings, wall: () => number, monotonic: () => number) {
    this.name = settings.name;
    this.#settings = settings;
    this.#wall = wall;
    this.#monotonic = monotonic;
    this.#slots = new LRUCache<string, Slot<T>>({
      max: settings.maxEntries,
      maxSize: settings.maxBytes,
      sizeCalculation: (slot) => slot.size,
      dispose: (_slot, key, reason) => {
        // Deletes and overwrites are the tiered cache's to report; lru-cache's own TTL is unused (clocks are injected).
        if (reason === "evict") publish(plain.cacheEvict, () => ({ tier: settings.name, key, reason: "capacity" }));
      },
    });
  }

  /** The value under `key` unless its life (fresh time + grace) ended; the warm path. */
  get(key: string): HeldValue<T> | undefined {
    const slot = this.#slots.get(key);
    if (slot === undefined) return undefined;
    if (slot.dropAt !== Number.POSITIVE_INFINITY && this.#monotonic() >= slot.dropAt) {
      this.#slots.delete(key);
      publish(plain.cacheEvict, () => ({ tier: this.name, key, reason: "expired" }));
      return undefined;
    }
    return slot;
  }

  /** Holds `value`, fresh for `freshMs` then served stale for `graceMs` (both absent: until evicted). */
  set(key: string, value: T, sizeBytes: number, freshMs: number | undefined, graceMs: number): void {
    const size = Math.max(1, sizeBytes);
    // A value larger than the whole cache is not kept (lru-cache would refuse it anyway).
    if (size > this.#settings.maxBytes) {
      this.#slots.delete(key);
      return;
    }
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
    this.#slots.set(key, { value, freshUntil, dropAt, storedAt: this.#wall(), size });
  }

  /** Drops `key`; `true` when it was held. */
  delete(key: string): boolean {
    return this.#slots.delete(key);
  }

  /** Keys held, most recently used first. */
  keys(): IterableIterator<string> {
    return this.#slots.keys();
  }

  /** Key and value of every entry held. */
  *entries(): IterableIterator<[string, T]> {
    for (const [key, slot] of this.#slots.entries()) yield [key, slot.value];
  }

  /** Number of keys held. */
  get size(): number {
    return this.#slots.size;
  }

  /** Drops everything. */
  clear(): void {
    this.#slots.clear();
  }
}
