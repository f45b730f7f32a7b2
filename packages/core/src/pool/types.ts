import type { ResourceLimits, TransferListItem } from "node:worker_threads";
import type { Clock } from "../clock/clock.js";
import type { TraceCarrier } from "../diagnostics/payloads.js";
import type { ScalingPolicy } from "./scaling-types.js";

/**
 * Options of {@link createWorkerPool}.
 *
 * @example
 * ```ts
 * const pool = createWorkerPool({ filename: new URL("./hash.js", import.meta.url), maxThreads: 4, maxQueue: 1_000, taskTimeoutMs: 5_000 });
 * ```
 */
export interface WorkerPoolOptions {
  /**
   * The task module: a path, a `file:` URL string or a `URL`. Its default export is the
   * task function, `(payload) => result | Promise<result>` (Piscina's convention). `.ts`
   * files are loaded through `tsx` (a dev dependency) so tests can point at sources.
   */
  filename: string | URL;
  /** Pool name used in diagnostics. @default the worker file's base name */
  name?: string;
  /** Threads kept alive even when idle (warm). @default 1 (0 when `maxThreads` is 0) */
  minThreads?: number;
  /**
   * Upper bound on threads. `"auto"` is twice `os.availableParallelism()`; the scaling
   * policy decides how many run within the bounds. @default "auto"
   */
  maxThreads?: number | "auto";
  /** Milliseconds without any task before the pool shrinks to `minThreads`. @default 30000 */
  idleTimeoutMs?: number;
  /** Tasks allowed to wait in the queue (not counting running ones). @default Infinity */
  maxQueue?: number;
  /** Default execution timeout of a task, in milliseconds; queue wait does not count. @default none */
  taskTimeoutMs?: number;
  /** V8 heap limits of each worker; exceeding them crashes that worker only. @default Node's defaults */
  resourceLimits?: ResourceLimits;
  /** Adaptive sizing. */
  scaling?: ScalingOptions;
  /** Cloneable value the task module reads as `workerData` from `node:worker_threads`. */
  workerData?: unknown;
  /**
   * Time source of the scaling inputs (windows, idle time, utilisation). Only differences
   * of two readings are used, so any monotonic clock fits; tests pass a fake one.
   * @default monotonicClock (`performance.now()`)
   */
  clock?: Clock;
  /**
   * The fast path (as Piscina's `useAtomics`): short tasks are pipelined to busy workers
   * (about 1 ms of expected work each, at most 64 tasks), and a worker that ran one lone
   * task polls a shared doorbell for up to 50 µs before it sleeps, so that the next task
   * skips the thread wake-up. `false` sends one task per worker at a time and never
   * polls: each task then pays a message round trip and a wake-up. See docs/pool.md,
   * "Fast path".
   * @default true
   */
  fastPath?: boolean;
}

/**
 * Adaptive sizing options.
 *
 * @example
 * ```ts
 * createWorkerPool({ filename, scaling: { policy: throughputClimbingPolicy, intervalMs: 250 } });
 * ```
 */
export interface ScalingOptions {
  /** The policy. @default queueWaitPolicy */
  policy?: ScalingPolicy;
  /** Milliseconds between evaluations. @default 100 */
  intervalMs?: number;
}

/**
 * Options of one `pool.run` call.
 *
 * @example
 * ```ts
 * await pool.run(payload, { signal: AbortSignal.timeout(10_000), timeoutMs: 2_000, transferList: [payload.buffer] });
 * ```
 */
export interface RunOptions {
  /** Aborts the task: removed from the queue if waiting, its worker replaced if running. */
  signal?: AbortSignal;
  /** Execution timeout in milliseconds, overriding `taskTimeoutMs`; queue wait does not count. */
  timeoutMs?: number;
  /** Objects to transfer rather than copy (`ArrayBuffer`, `MessagePort`, …). */
  transferList?: readonly TransferListItem[];
  /** When the queue is full, wait for room instead of rejecting with `NG_ERR_POOL_QUEUE_FULL`. @default false */
  waitForQueue?: boolean;
  /**
   * Trace context handed to the worker (`currentTraceCarrier()`), when no instrumentation
   * of `nextgen:pool.task` provided one. Worker-backed agents pass the agent run's carrier.
   */
  traceCarrier?: TraceCarrier;
}

/**
 * Percentiles of a duration, in milliseconds.
 *
 * @example
 * ```ts
 * const { p50, p99 } = pool.stats().waitMs; // milliseconds
 * ```
 */
export interface DurationPercentiles {
  p50: number;
  p95: number;
  p99: number;
}

/**
 * A snapshot returned by `pool.stats()`.
 *
 * @example
 * ```ts
 * const { threads, busy, queued, crashed } = pool.stats();
 * if (queued > threads * 10) console.warn("pool saturated");
 * ```
 */
export interface WorkerPoolStats {
  /** Pool name. */
  name: string;
  /** Threads alive (starting ones included). */
  threads: number;
  /** Threads running a task now. */
  busy: number;
  /** Tasks waiting in the queue. */
  queued: number;
  /** Tasks that finished successfully since creation. */
  completed: number;
  /** Tasks that failed (error, timeout, abort, crash) since creation. */
  failed: number;
  /** Tasks whose worker crashed under them since creation (a subset of `failed`). */
  crashed: number;
  /** Upper bound on threads (`maxThreads` resolved). */
  maxThreads: number;
  /** Queue capacity (`maxQueue`); `Infinity` when unbounded. */
  maxQueue: number;
  /** `close()` was called: the pool takes no more tasks. */
  closed: boolean;
  /** Fraction (0–1) of thread time spent running tasks since creation. */
  utilisation: number;
  /** Queue wait of recent tasks (last 1024). */
  waitMs: DurationPercentiles;
  /** Run time in the worker of recent tasks (last 1024). */
  runMs: DurationPercentiles;
}

/**
 * Options of `pool.close`.
 *
 * @example
 * ```ts
 * process.once("SIGTERM", () => pool.close({ force: true }));
 * ```
 */
export interface CloseOptions {
  /**
   * Terminate running tasks too (they reject with `NG_ERR_POOL_CLOSED`) instead of
   * letting them finish. Queued tasks are rejected either way. @default false
   */
  force?: boolean;
}

/**
 * A pool of worker threads running one task module.
 *
 * @example
 * ```ts
 * const pool: WorkerPool<{ text: string }, number> = createWorkerPool({ filename });
 * const words = await pool.run({ text: "a b c" });
 * ```
 */
export interface WorkerPool<Payload = unknown, Result = unknown> {
  /** The pool name used in diagnostics. */
  readonly name: string;
  /**
   * Runs the task function on `payload` in a worker. Rejects with a `NextGenError`:
   * `NG_ERR_POOL_TASK_FAILED` (the worker's error as `cause`), `NG_ERR_POOL_TASK_TIMEOUT`,
   * `NG_ERR_POOL_TASK_ABORTED`, `NG_ERR_POOL_WORKER_CRASHED`, `NG_ERR_POOL_QUEUE_FULL`,
   * `NG_ERR_POOL_CLOSED`.
   */
  run(payload: Payload, options?: RunOptions): Promise<Result>;
  /** A snapshot of the pool's counters and recent latencies. */
  stats(): WorkerPoolStats;
  /** Rejects queued tasks, waits for (or with `force` ends) running ones, stops every thread. Idempotent. */
  close(options?: CloseOptions): Promise<void>;
}
