import type { TransferListItem } from "node:worker_threads";
import type { PoolTaskContext, TraceCarrier } from "../diagnostics/payloads.js";

/** Where a task is in its life. */
export const TaskState = {
  /** Waiting for room in a full queue (`waitForQueue`). */
  Overflow: 0,
  /** In the queue. */
  Queued: 1,
  /** Sent to a worker. */
  Sent: 2,
  /** Resolved or rejected. */
  Settled: 3,
} as const;
/** See {@link TaskState}. */
export type TaskState = (typeof TaskState)[keyof typeof TaskState];

/** Something that reacts when a task's signal aborts or its timeout fires. */
export interface TaskOwner<Holder extends object = object> {
  onTaskAbort(task: PoolTask<Holder>): void;
  onTaskTimeout(task: PoolTask<Holder>): void;
}

/**
 * One `pool.run` call. A class rather than closures so the hot path allocates one object
 * per task; it is its own abort listener (`handleEvent`). `Holder` is the worker record
 * that runs it (kept generic so that this file does not import the worker's).
 */
export class PoolTask<Holder extends object = object> {
  state: TaskState = TaskState.Queued as TaskState;
  /** The worker the task was sent to, while it is there. */
  worker: Holder | undefined = undefined;
  timer: NodeJS.Timeout | undefined = undefined;
  resolve!: (value: unknown) => void;
  reject!: (reason: unknown) => void;
  readonly promise: Promise<unknown>;
  /** Epoch milliseconds when `run` was called. */
  readonly enqueuedAt: number;
  /** Tasks with a deadline or a signal run alone on their worker (nothing pipelined behind). */
  readonly exclusive: boolean;

  constructor(
    readonly owner: TaskOwner<Holder>,
    readonly id: number,
    readonly payload: unknown,
    readonly transferList: readonly TransferListItem[] | undefined,
    readonly signal: AbortSignal | undefined,
    readonly timeoutMs: number | undefined,
    readonly carrier: TraceCarrier | undefined,
    readonly context: PoolTaskContext | undefined,
  ) {
    this.promise = new Promise((resolve, reject) => {
      this.resolve = resolve;
      this.reject = reject;
    });
    this.enqueuedAt = performance.timeOrigin + performance.now();
    this.exclusive = timeoutMs !== undefined || signal !== undefined;
    if (signal !== undefined) signal.addEventListener("abort", this, { once: true });
  }

  /** Abort listener. */
  handleEvent(): void {
    this.owner.onTaskAbort(this);
  }

  /** Starts the execution timeout, once the worker is ready to run it. */
  armTimeout(): void {
    if (this.timeoutMs === undefined || this.timer !== undefined || this.timeoutMs === Number.POSITIVE_INFINITY) return;
    this.timer = setTimeout(onTimeout, this.timeoutMs, this);
    this.timer.unref();
  }

  /** Settles once; later calls are ignored. */
  settle(error: unknown, value?: unknown): void {
    if (this.state === TaskState.Settled) return;
    this.state = TaskState.Settled;
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.signal?.removeEventListener("abort", this);
    this.worker = undefined;
    if (error === undefined) this.resolve(value);
    else this.reject(error);
  }
}

function onTimeout(task: PoolTask<object>): void {
  task.owner.onTaskTimeout(task);
}
