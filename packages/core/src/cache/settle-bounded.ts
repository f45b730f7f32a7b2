/**
 * `Promise.allSettled(items.map(run))` with at most `limit` runs in flight, results in
 * input order. A start-up prewarm of thousands of templates at once keeps every one's
 * buffers, parses and promises alive together and queues thousands of file operations
 * on libuv's four threads; a bounded window does the same work with a small live set.
 * @internal
 *
 * @example
 * ```ts
 * const settled = await settleBounded(ids, (id) => load(id), 64);
 * ```
 */
export async function settleBounded<T, R>(
  items: readonly T[],
  run: (item: T) => Promise<R>,
  limit: number,
): Promise<PromiseSettledResult<R>[]> {
  const results: PromiseSettledResult<R>[] = new Array(items.length);
  let next = 0;
  async function lane(): Promise<void> {
    while (next < items.length) {
      const index = next++;
      try {
        results[index] = { status: "fulfilled", value: await run(items[index] as T) };
      } catch (reason) {
        results[index] = { status: "rejected", reason };
      }
    }
  }
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, lane));
  return results;
}
