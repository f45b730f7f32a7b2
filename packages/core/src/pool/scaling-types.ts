// Contract of adaptive sizing: what a scaling policy reads and answers. A leaf: it imports nothing.
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
