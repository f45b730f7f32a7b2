// The pool's one performance switch (as Piscina's `useAtomics`): how many tasks a busy
// worker may be sent ahead (pipelining), and whether idle workers may poll for work for a
// few microseconds (the idle spin, see `idle-spin.ts`). The engine asks the strategy and
// never interleaves these optimisations with its correctness logic.

/**
 * Tasks without a deadline or signal may be sent to a worker that is still busy, so that
 * a worker never idles for a message round trip and many tasks share one message. The
 * depth adapts: about `PIPELINE_BUDGET_MS` of expected work (moving average of run
 * times), so a task pipelined behind others waits at most about that long even if
 * another thread frees up; long tasks are never pipelined.
 */
const PIPELINE_DEPTH = 64;
/** See {@link PIPELINE_DEPTH}. */
const PIPELINE_BUDGET_MS = 1;

/**
 * How the pool feeds its workers. @internal
 *
 * @example
 * ```ts
 * const strategy = options.fastPath ? fastPathStrategy() : plainStrategy();
 * if (worker.inflight.length < strategy.depth) send(worker, task);
 * ```
 */
export interface DispatchStrategy {
  /** Tasks a ready worker may hold at once (1: one at a time). */
  readonly depth: number;
  /**
   * Shared with every worker of the pool (`RuntimeConfig.light`): 1 while polling for
   * work is worth a core. It stays 0 when the strategy never lets workers poll.
   */
  readonly light: Int32Array;
  /** A task ran for `runMs` in a worker. */
  recordRun(runMs: number): void;
  /** `load` tasks are queued or in flight on `threads` threads (called before each post). */
  recordLoad(load: number, threads: number): void;
}

/**
 * Pipelining and the idle spin: the default. @internal
 *
 * @example
 * ```ts
 * const strategy = fastPathStrategy();
 * strategy.recordRun(0.01); // short tasks: deeper pipelines
 * ```
 */
export function fastPathStrategy(): DispatchStrategy {
  const light = new Int32Array(new SharedArrayBuffer(4));
  /** Exponential moving average of run times; pipelining needs short tasks. */
  let averageRunMs = Number.POSITIVE_INFINITY;
  return {
    depth: 1,
    light,
    recordRun(runMs: number): void {
      averageRunMs = averageRunMs === Number.POSITIVE_INFINITY ? runMs : averageRunMs * 0.9 + runMs * 0.1;
      // Pipeline about one millisecond of expected work per worker, at most PIPELINE_DEPTH tasks.
      this.depth = Math.max(
        1,
        Math.min(PIPELINE_DEPTH, Math.floor(PIPELINE_BUDGET_MS / Math.max(averageRunMs, 0.001))),
      );
    },
    recordLoad(load: number, threads: number): void {
      // A caller waiting on few tasks gains from a quick wake-up; under load the main thread needs the core.
      Atomics.store(light, 0, load <= threads ? 1 : 0);
    },
  } as DispatchStrategy & { depth: number };
}

/**
 * One task per worker at a time, no polling: every task costs a message round trip and a
 * thread wake-up, and an idle worker never spends CPU. @internal
 *
 * @example
 * ```ts
 * const strategy = plainStrategy(); // strategy.depth === 1, always
 * ```
 */
export function plainStrategy(): DispatchStrategy {
  return { depth: 1, light: new Int32Array(new SharedArrayBuffer(4)), recordRun() {}, recordLoad() {} };
}
