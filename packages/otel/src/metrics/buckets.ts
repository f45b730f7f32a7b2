/**
 * Histogram bucket boundaries, in seconds. Create duration spans 1 µs (a warm create,
 * served by the factory's resolved-template cache) to 10 s (a cold create behind a slow
 * source), with 0.1 and 0.2 present so the p95 and p99 alerts compare against a bucket edge
 * instead of an interpolation. `instrument()` passes them as the histogram's bucket advice.
 *
 * @example
 * ```ts
 * // Same buckets for your own create-adjacent histogram:
 * meter.createHistogram("app.request.duration", { unit: "s", advice: { explicitBucketBoundaries: [...CREATE_DURATION_BUCKETS_SECONDS] } });
 * ```
 */
export const CREATE_DURATION_BUCKETS_SECONDS: readonly number[] = [
  0.000001, 0.0000025, 0.000005, 0.00001, 0.000025, 0.00005, 0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025,
  0.05, 0.1, 0.2, 0.5, 1, 2.5, 5, 10,
];

/**
 * Boundaries for `agent.run` and pool wait/run durations, in seconds (10 µs … 5 min).
 *
 * @example
 * ```ts
 * new Histogram({ name: "app_task_seconds", help: "…", buckets: [...TASK_DURATION_BUCKETS_SECONDS] });
 * ```
 */
export const TASK_DURATION_BUCKETS_SECONDS: readonly number[] = [
  0.00001, 0.0001, 0.0005, 0.001, 0.005, 0.01, 0.05, 0.1, 0.5, 1, 5, 10, 30, 60, 300,
];

/**
 * Boundaries for the age of a cache entry at a hit, in seconds (100 ms … 1 day): the TTL
 * distribution the entry-age heatmap shows.
 *
 * @example
 * ```ts
 * const longest = ENTRY_AGE_BUCKETS_SECONDS.at(-1); // 86400: one day
 * ```
 */
export const ENTRY_AGE_BUCKETS_SECONDS: readonly number[] = [0.1, 1, 5, 15, 30, 60, 300, 900, 1800, 3600, 21600, 86400];

/**
 * Boundaries for the queue wait of pool tasks, in seconds (100 µs … 5 min), dense around
 * the saturation alert's 1 s threshold and the seconds above it, so the wait p95 is
 * interpolated within a narrow bucket (a true 3.2 s reads 3.475, between the 3 and 3.5 edges, where 1 … 5 read 4.8).
 *
 * @example
 * ```ts
 * const edgesNearThreshold = POOL_WAIT_BUCKETS_SECONDS.filter((edge) => edge >= 0.5 && edge <= 2);
 * ```
 */
export const POOL_WAIT_BUCKETS_SECONDS: readonly number[] = [
  0.0001, 0.0005, 0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 0.75, 1, 1.5, 2, 2.5, 3, 3.5, 4, 5, 7.5, 10, 15, 30,
  60, 300,
];
