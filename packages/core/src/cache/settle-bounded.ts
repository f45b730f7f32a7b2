import { setImmediate as nextTurn } from "node:timers/promises";

/**
 * `Promise.allSettled(items.map(run))` with at most `limit` runs in flight, results in
 * input order. A start-up prewarm of thousands of templates at once keeps every one's
 * buffers, parses and promises alive together and queues thousands of file operations
 * on libuv's four threads; a bounded window does the same work with a small live set.
 * After every `limit` runs settle, the lanes wait for one turn of the event loop (so it
 * turns at least every `2 × limit` runs): loads that never leave the thread (synchronous
 * reads, synchronous signature checks) would otherwise chain as microtasks and hold
 * timers, sockets and health checks for the whole prewarm, not for a window's worth.
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
  let settled = 0;
  // One turn shared by every lane that reaches the mark while it is pending.
  let turn: Promise<void> | undefined;
  async function lane(): Promise<void> {
    while (next < items.length) {
      const index = next++;
      try {
        results[index] = { status: "fulfilled", value: await run(items[index] as T) };
      } catch (reason) {
        results[index] = { status: "rejected", reason };
      }
      if (++settled % limit === 0) {
        turn = nextTurn().then(() => {
          turn = undefined;
        });
      }
      if (turn !== undefined) await turn;
    }
  }
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, lane));
  return results;
}
