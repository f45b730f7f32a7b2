/**
 * A `Map` that keeps at most `max` entries, dropping the least recently *set* one: the
 * bookkeeping maps of the cache (keys loaded, ids known, misses remembered) need a bound
 * against floods of distinct keys, not lru-cache's preallocated slots — `new LRUCache({ max:
 * 100_000 })` fills arrays for every slot up front (about 12 ms and 1.6 MB), which every
 * `createAgentFactory` paid for maps that usually hold a handful of keys. Reads do not
 * refresh an entry; setting it again does.
 * @internal
 *
 * @example
 * ```ts
 * const loaded = new BoundedMap<string, true>(100_000);
 * loaded.set("security/auditor", true);
 * ```
 */
export class BoundedMap<K, V> {
  readonly #entries = new Map<K, V>();
  readonly #max: number;

  constructor(max: number) {
    if (!Number.isSafeInteger(max) || max < 1) throw new RangeError(`max must be a positive integer, got ${max}`);
    this.#max = max;
  }

  get size(): number {
    return this.#entries.size;
  }

  get(key: K): V | undefined {
    return this.#entries.get(key);
  }

  has(key: K): boolean {
    return this.#entries.has(key);
  }

  /** Sets `key` as the most recent entry, dropping the oldest past `max`. */
  set(key: K, value: V): this {
    if (this.#entries.has(key)) this.#entries.delete(key);
    else if (this.#entries.size >= this.#max) this.#entries.delete(this.#entries.keys().next().value as K);
    this.#entries.set(key, value);
    return this;
  }

  delete(key: K): boolean {
    return this.#entries.delete(key);
  }

  clear(): void {
    this.#entries.clear();
  }

  keys(): MapIterator<K> {
    return this.#entries.keys();
  }
}
