/**
 * Adaptive sizing. A scaling policy is a pure function: the pool gathers the inputs
 * below every `scaling.intervalMs`, asks the policy for a thread count, and grows or
 * shrinks toward it (clamped to `minThreads..maxThreads`). Each change is published on
 * `nextgen:pool.scale` with the policy's reason.
 */

/**
 * One past evaluation window, newest last in {@link ScalingInput.history}.
 *
 * @example
 * ```ts
 * const best = input.history.reduce((a, b) => (b.throughputPerSecond > a.throughputPerSecond ? b : a));
 * ```
 */
export interface ScalingSample {
  /** Threads alive during the window. */
  readonly threads: number;
  /** Tasks completed per second during the window. */
  readonly throughputPerSecond: number;
  /** Whether tasks were waiting in the queue at the end of the window (demand exceeded capacity). */
  readonly saturated: boolean;
}

/**
 * What a scaling policy sees. Times are milliseconds; percentiles cover recent tasks.
 *
 * @example
 * ```ts
 * const policy: ScalingPolicy = (input) => ({ threads: input.queueDepth > 0 ? input.threads + 1 : input.threads, reason: "queue" });
 * ```
 */
export interface ScalingInput {
  /** Tasks waiting in the queue now. */
  readonly queueDepth: number;
  /** How long the oldest queued task has been waiting, in milliseconds (0 when the queue is empty). */
  readonly oldestWaitMs: number;
  /** Threads running a task now. */
  readonly busyThreads: number;
  /** Median and 95th percentile of the time recent tasks waited before starting. */
  readonly waitP50Ms: number;
  /** See `waitP50Ms`. */
  readonly waitP95Ms: number;
  /** Median and 95th percentile of the time recent tasks ran in a worker. */
  readonly runP50Ms: number;
  /** See `runP50Ms`. */
  readonly runP95Ms: number;
  /** Fraction (0–1) of thread time spent running tasks during the last window. */
  readonly utilisation: number;
  /**
   * Mean event-loop utilisation (0–1) of the workers during the last window: near 1 for
   * CPU-bound tasks, low for tasks that mostly await I/O.
   */
  readonly eventLoopUtilisation: number;
  /** Threads alive now. */
  readonly threads: number;
  /** The pool's `minThreads`. */
  readonly minThreads: number;
  /** The pool's `maxThreads` (after resolving `"auto"`). */
  readonly maxThreads: number;
  /** `os.availableParallelism()`. */
  readonly cpuCount: number;
  /** Milliseconds since the pool last had a task queued or running (0 when busy). */
  readonly idleMs: number;
  /** The pool's `idleTimeoutMs`. */
  readonly idleTimeoutMs: number;
  /** Tasks completed per second during the last window. */
  readonly throughputPerSecond: number;
  /**
   * Evaluation windows since the thread count last changed, the last one included (1 =
   * the first window at this size, which includes thread start-up).
   */
  readonly windowsAtSize: number;
  /** Earlier windows at a settled size (not the first after a change), oldest first (at most 32). */
  readonly history: readonly ScalingSample[];
}

/**
 * A policy's answer.
 *
 * @example
 * ```ts
 * const decision: ScalingDecision = { threads: 4, reason: "fixed size" };
 * ```
 */
export interface ScalingDecision {
  /** Desired thread count; the pool clamps it to `minThreads..maxThreads`. */
  readonly threads: number;
  /** Why, in a few words; published on `nextgen:pool.scale`. */
  readonly reason: string;
}

/**
 * A scaling policy: a pure function from the inputs to a decision.
 *
 * @example
 * ```ts
 * const fixed: ScalingPolicy = () => ({ threads: 4, reason: "fixed" });
 * createWorkerPool({ filename, maxThreads: 4, scaling: { policy: fixed } });
 * ```
 */
export type ScalingPolicy = (input: ScalingInput) => ScalingDecision;

/** The most recent saturated sample with fewer threads than now: the size the pool grew from. */
function smallerSize(input: ScalingInput): ScalingSample | undefined {
  for (let index = input.history.length - 1; index >= 0; index--) {
    const sample = input.history[index];
    if (sample?.saturated && sample.threads < input.threads) return sample;
  }
  return undefined;
}

/**
 * The default policy. Grows when tasks wait in the queue (p95 of recent tasks, or the
 * oldest queued one) longer than they run, or more than 5 ms: doubling per window up to the CPU
 * count (by no more than the queue depth), then one thread per step. Past the
 * CPU count, after each step it measures a full window at the new size
 * and keeps growing only if throughput rose by more than 5 % over the smaller size; if
 * it fell by more than 5 %, it goes back (more CPU-bound threads than cores add
 * contention, not throughput, and the pool finds that out instead of assuming it).
 * Shrinks to `minThreads` after `idleTimeoutMs` without work, and by one thread after a
 * window under 30 % utilisation with an empty queue.
 *
 * @example
 * ```ts
 * const pool = createWorkerPool({ filename, scaling: { policy: queueWaitPolicy } });
 * ```
 */
export function queueWaitPolicy(input: ScalingInput): ScalingDecision {
  const { threads, queueDepth } = input;
  if (queueDepth > 0) {
    if (threads === 0) return { threads: Math.min(queueDepth, input.cpuCount), reason: "tasks queued, no thread" };
    const waiting = Math.max(input.waitP95Ms, input.oldestWaitMs);
    const pressed =
      waiting >= Math.max(5, input.runP50Ms) || (input.utilisation >= 0.9 && input.busyThreads === threads);
    if (!pressed || threads >= input.maxThreads) return { threads, reason: "steady" };
    // Up to the core count more threads help any saturated pool: no need to measure first.
    if (threads < input.cpuCount) {
      const target = Math.min(input.maxThreads, input.cpuCount, threads + Math.min(queueDepth, threads));
      return { threads: target, reason: `queue wait ${waiting.toFixed(1)} ms, depth ${queueDepth}` };
    }
    if (input.windowsAtSize < 2) return { threads, reason: "measuring the new size" };
    const before = smallerSize(input);
    const here = input.throughputPerSecond;
    if (before !== undefined && here < before.throughputPerSecond * 0.95) {
      return {
        threads: before.threads,
        reason: `throughput ${here.toFixed(0)}/s < ${before.throughputPerSecond.toFixed(0)}/s at ${before.threads} threads`,
      };
    }
    if (before !== undefined && here <= before.throughputPerSecond * 1.05) {
      return { threads, reason: `no gain over ${before.threads} threads` };
    }
    // Past the cores, one thread at a time: the best size is rarely far, and a small
    // step finds it instead of jumping over it.
    return { threads: threads + 1, reason: `queue wait ${waiting.toFixed(1)} ms, depth ${queueDepth}` };
  }
  if (input.idleMs >= input.idleTimeoutMs && threads > input.minThreads) {
    return { threads: input.minThreads, reason: `idle for ${Math.round(input.idleMs)} ms` };
  }
  if (input.idleMs > 0 && input.utilisation < 0.3 && threads > input.minThreads && threads > 1) {
    return { threads: threads - 1, reason: `utilisation ${(input.utilisation * 100).toFixed(0)} %` };
  }
  return { threads, reason: "steady" };
}

/**
 * A hill-climbing policy: while the queue is saturated, it compares the throughput
 * measured at the current thread count with the one measured at neighbouring counts in
 * `history`, steps toward the better one, and stays once both neighbours were measured
 * worse. Without saturation it behaves like {@link queueWaitPolicy} (shrink after idle).
 * Good when the best size is not the CPU count (mixed I/O and CPU, memory bandwidth).
 *
 * @example
 * ```ts
 * const pool = createWorkerPool({ filename, scaling: { policy: throughputClimbingPolicy } });
 * ```
 */
export function throughputClimbingPolicy(input: ScalingInput): ScalingDecision {
  const { threads } = input;
  if (input.queueDepth === 0 || threads === 0) return queueWaitPolicy(input);
  if (input.windowsAtSize < 2) return { threads, reason: "measuring the new size" };
  const best = new Map<number, number>();
  for (const sample of input.history) {
    if (!sample.saturated) continue;
    // The most recent measurement per size wins: load changes over time.
    best.set(sample.threads, sample.throughputPerSecond);
  }
  const here = input.throughputPerSecond;
  best.set(threads, here);
  const below = best.get(threads - 1);
  const above = best.get(threads + 1);
  // 3 % hysteresis so that noise does not make it oscillate.
  if (below !== undefined && below > here * 1.03 && threads - 1 >= Math.max(1, input.minThreads)) {
    return {
      threads: threads - 1,
      reason: `throughput ${below.toFixed(0)}/s at ${threads - 1} > ${here.toFixed(0)}/s`,
    };
  }
  if (above === undefined && threads < input.maxThreads) {
    return { threads: threads + 1, reason: `exploring ${threads + 1} threads (${here.toFixed(0)}/s now)` };
  }
  if (above !== undefined && above > here * 1.03 && threads < input.maxThreads) {
    return {
      threads: threads + 1,
      reason: `throughput ${above.toFixed(0)}/s at ${threads + 1} > ${here.toFixed(0)}/s`,
    };
  }
  return { threads, reason: `best throughput at ${threads} threads` };
}
