/**
 * What a worker pool's `stats()` returns that the metrics read.
 *
 * @example
 * ```ts
 * const stats: PoolStatsLike = { name: "indexer", threads: 4, busy: 1, queued: 0, maxQueue: 64 };
 * ```
 */
export interface PoolStatsLike {
  /** Pool name. */
  readonly name: string;
  /** Threads alive. */
  readonly threads: number;
  /** Threads running a task now. */
  readonly busy: number;
  /** Tasks waiting in the queue. */
  readonly queued: number;
  /**
   * Queue capacity (`maxQueue`); absent or `Infinity` when the queue is unbounded. Feeds the
   * queue-capacity gauge the saturation alert divides by.
   */
  readonly maxQueue?: number | undefined;
}

/**
 * A worker pool whose `stats()` is read at each scrape or collection (core's
 * `createWorkerPool` result fits). Typed structurally.
 *
 * @example
 * ```ts
 * const pool: PoolStatsSource = createWorkerPool({ filename, name: "indexer" });
 * registerPrometheusMetrics({ registry, pools: [pool] });
 * ```
 */
export interface PoolStatsSource {
  stats(): PoolStatsLike;
}

/**
 * Reads every pool's stats, skipping a pool whose `stats()` throws (telemetry never
 * throws).
 * @internal
 */
export function readPoolStats(pools: readonly PoolStatsSource[]): PoolStatsLike[] {
  const all: PoolStatsLike[] = [];
  for (const pool of pools) {
    try {
      all.push(pool.stats());
    } catch {
      // A closed or broken pool reports nothing.
    }
  }
  return all;
}

/**
 * Checks the `pools` option.
 * @internal
 */
export function isPoolStatsSources(value: unknown): value is readonly PoolStatsSource[] {
  return Array.isArray(value) && value.every((pool) => typeof (pool as PoolStatsSource)?.stats === "function");
}
