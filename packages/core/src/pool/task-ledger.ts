import { NextGenError } from "../errors/next-gen-error.js";
import type { PoolTask } from "./pool-task.js";
import type { PoolWorker } from "./pool-worker.js";
import { REPLY_OK, type SerializedError } from "./protocol.js";
import { RecentSamples } from "./recent-samples.js";
import { deserializeError } from "./serialize-error.js";

type Task = PoolTask<PoolWorker>;

/**
 * The pool's books: how tasks ended (completed, failed, lost to a crash), thread time
 * spent running them, and recent wait and run times. Every task of the pool settles
 * through here, so the counts in `stats()` and the scaler's inputs cannot drift apart.
 * @internal
 *
 * @example
 * ```ts
 * const ledger = new TaskLedger();
 * const runMs = ledger.settleReply(worker, task, REPLY_OK, value, startTime, endTime, queue.size);
 * ```
 */
export class TaskLedger {
  completed = 0;
  failed = 0;
  /** Tasks lost to worker crashes. */
  crashed = 0;
  /** Milliseconds of task run time, summed over every thread. */
  busyMs = 0;
  readonly waits: RecentSamples = new RecentSamples();
  readonly runs: RecentSamples = new RecentSamples();

  /**
   * Settles `task` with its worker's reply (times are epoch ms measured in the worker) and
   * fills its trace context. Returns the task's run time in milliseconds.
   */
  settleReply(
    worker: PoolWorker,
    task: Task,
    status: number,
    value: unknown,
    startTime: number,
    endTime: number,
    queueDepth: number,
  ): number {
    const runMs = endTime - startTime;
    const waitMs = Math.max(0, startTime - task.enqueuedAt);
    this.runs.add(runMs);
    this.waits.add(waitMs);
    this.busyMs += runMs;
    const context = task.context;
    if (context !== undefined) {
      context.waitMs = waitMs;
      context.runMs = runMs;
      context.threadId = worker.threadId;
      context.workerStartTime = startTime;
      context.workerEndTime = endTime;
      context.queueDepth = queueDepth;
    }
    if (status === REPLY_OK) {
      this.completed++;
      task.settle(undefined, value);
    } else {
      const cause = deserializeError(value as SerializedError);
      this.fail(
        task,
        new NextGenError("NG_ERR_POOL_TASK_FAILED", `Task failed in worker: ${cause.message}`, { cause }),
      );
    }
    return runMs;
  }

  /** Rejects `task` with `error` (once; a settled task stays as it was). */
  fail(task: Task, error: NextGenError): void {
    this.failed++;
    task.settle(error);
  }

  /** Rejects the tasks a dead worker had started, with `NG_ERR_POOL_WORKER_CRASHED`. */
  crash(tasks: readonly Task[], worker: PoolWorker, cause: unknown): void {
    const reason = cause instanceof Error ? cause.message : String(cause);
    this.crashed += tasks.length;
    for (const task of tasks) {
      this.fail(
        task,
        new NextGenError("NG_ERR_POOL_WORKER_CRASHED", `Worker ${worker.threadId} crashed: ${reason}`, { cause }),
      );
    }
  }
}
