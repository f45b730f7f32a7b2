// Wire format between the pool and its workers. Kept flat (arrays, numbers) because
// structured clone of a small array is the cheapest message V8 can copy.

/** Main → worker: `[taskId, payload, traceCarrier, taskId, payload, traceCarrier, …]`. */
export type TaskBatch = unknown[];

/** Worker → main, once, after the task module loaded. */
export const READY_MESSAGE = "ready" as const;

/** Status byte of a reply. */
export const REPLY_OK = 0;
/** See {@link REPLY_OK}. */
export const REPLY_FAILED = 1;

/**
 * Worker → main: `[taskId, status, value, workerStartTime, workerEndTime, …]`, five
 * entries per task, several tasks per message when they finished in one go. Times are
 * `performance.timeOrigin + performance.now()` in the worker.
 */
export type TaskReplies = unknown[];

/** Entries per task in {@link TaskReplies}. */
export const REPLY_STRIDE = 5;

/** What the worker runtime reads from `workerData` before handing the user's value on. */
export interface RuntimeConfig {
  /** File URL of the task module. */
  readonly moduleUrl: string;
  /** The `workerData` option, exposed to the task module as `workerData`. */
  readonly userData: unknown;
  /**
   * Shared counter: how many tasks the worker has started. After a crash the pool reads
   * it to tell the tasks that ran (rejected) from those that never started (re-queued).
   */
  readonly progress: Int32Array;
  /**
   * Shared counter the pool bumps after posting tasks, so that a worker polling for work
   * right after a task (see `idle-spin.ts`) can take them without an event-loop wake-up.
   */
  readonly doorbell: Int32Array;
  /**
   * Shared by all workers of a pool: 1 while the pool has no more tasks in flight or
   * queued than threads (a caller waiting on few tasks), 0 when it is loaded. Workers
   * poll for work only in the first case: under load the main thread needs the core.
   */
  readonly light: Int32Array;
}

/** An error as it crosses the thread boundary (structured clone drops `code` and friends). */
export interface SerializedError {
  name: string;
  message: string;
  stack?: string | undefined;
  code?: unknown;
  /** Other own enumerable properties that survived cloning. */
  properties?: Record<string, unknown>;
  cause?: SerializedError | undefined;
}

/** Global slot where the runtime puts the trace carrier of the task being run. */
export const TRACE_CARRIER_SLOT: unique symbol = Symbol.for("nextgen.pool.traceCarrier") as never;
