/**
 * Background writes to lower tiers, tracked per key, so that an invalidation can wait
 * for the writes of its keys before it deletes them (otherwise a late write would put
 * the old bytes back), and `idle()` can wait for all of them.
 * @internal
 */
export class PendingWrites {
  readonly #byKey = new Map<string, Set<Promise<unknown>>>();

  /** Runs `work` in the background; its failure is swallowed (the caller counts it). */
  track(key: string, work: () => Promise<unknown>): void {
    const promise = work().catch(() => undefined);
    const writes = this.#byKey.get(key) ?? new Set<Promise<unknown>>();
    this.#byKey.set(key, writes);
    writes.add(promise);
    void promise.finally(() => {
      writes.delete(promise);
      if (writes.size === 0 && this.#byKey.get(key) === writes) this.#byKey.delete(key);
    });
  }

  /** Resolves when the writes of `key` started so far have settled. */
  async settled(key: string): Promise<void> {
    await Promise.all([...(this.#byKey.get(key) ?? [])]);
  }

  /** Resolves when no write is pending. */
  async idle(): Promise<void> {
    while (this.#byKey.size > 0) await Promise.all([...this.#byKey.values()].flatMap((writes) => [...writes]));
  }
}
