import { NextGenError } from "../errors/next-gen-error.js";
import type { PoolParts } from "./pool-readings.js";
import type { PoolScaler } from "./pool-scaler.js";
import type { PoolTask } from "./pool-task.js";
import type { PoolWorker } from "./pool-worker.js";
import type { TaskDispatcher } from "./task-dispatcher.js";
import type { TaskLedger } from "./task-ledger.js";
import type { WorkerSet } from "./worker-set.js";

type Task = PoolTask<PoolWorker>;

/**
 * Starting, retiring and replacing threads, and what happens to their tasks: a thread
 * retired on purpose (shrink, abort, timeout, close) gives its untouched tasks back to
 * the queue; a thread that dies (uncaught error, `process.exit()`, its `resourceLimits`
 * heap) fails only the task it was running, since a worker posts each result before it
 * starts the next task, and the pool keeps `minThreads` alive. @internal
 *
 * @example
 * ```ts
 * const lifecycle = new WorkerLifecycle({ config, workers, dispatcher, ledger, scaler });
 * lifecycle.spawn(); // a thread, handed queued work at once
 * ```
 */
export class WorkerLifecycle {
  /** The pool is closing: tasks that would go back to the queue reject, nothing is replaced. */
  closing = false;
  readonly #name: string;
  readonly #minThreads: number;
  readonly #workers: WorkerSet;
  readonly #dispatcher: TaskDispatcher;
  readonly #ledger: TaskLedger;
  readonly #scaler: PoolScaler;

  constructor(parts: PoolParts) {
    this.#name = parts.config.name;
    this.#minThreads = parts.config.minThreads;
    this.#workers = parts.workers;
    this.#dispatcher = parts.dispatcher;
    this.#ledger = parts.ledger;
    this.#scaler = parts.scaler;
  }

  /** Starts a thread and hands it queued work at once (messages wait until it is ready). */
  spawn(): void {
    this.#dispatcher.fill(this.#workers.spawn());
  }

  /** The worker has nothing in flight: it no longer keeps the process alive, and the idle clock starts. */
  markIdle(worker: PoolWorker): void {
    worker.markIdle();
    this.#scaler.touch();
  }

  /** A task's payload could not be posted: only that task fails. */
  unsendable(worker: PoolWorker, task: Task, error: unknown): void {
    worker.remove(task);
    this.#ledger.fail(
      task,
      new NextGenError("NG_ERR_POOL_TASK_FAILED", "Payload cannot be sent to a worker", { cause: error }),
    );
    if (worker.depth === 0) this.markIdle(worker);
  }

  /** Terminates a worker on purpose; its untouched tasks go back to the queue. */
  retire(worker: PoolWorker): void {
    if (worker.retiring) return;
    this.#workers.remove(worker);
    worker.retire();
    this.#requeue(worker.takeInFlight());
    this.#replenish(true);
  }

  /** Retires up to `count` idle workers, the most recently started first (the scaler shrinking). */
  retireIdle(count: number): void {
    const live = this.#workers.live;
    let retired = 0;
    for (let index = live.length - 1; index >= 0 && retired < count; index--) {
      const worker = live[index];
      if (worker !== undefined && worker.depth === 0) {
        this.retire(worker);
        retired++;
      }
    }
  }

  /**
   * A thread exited. Unless it was retiring, it died: the tasks it had started reject
   * with `NG_ERR_POOL_WORKER_CRASHED`, the ones it never started run elsewhere.
   */
  onExit(worker: PoolWorker, code: number): void {
    if (worker.retiring) return;
    this.#workers.remove(worker);
    worker.retiring = true;
    const { started, untouched } = worker.splitInFlight();
    this.#ledger.crash(started, worker, worker.lastError ?? new Error(`worker exited with code ${code}`));
    this.#requeue(untouched);
    // A thread that died before loading the module would die again: replace it only on demand.
    this.#replenish(worker.ready);
  }

  /**
   * A reply batch arrived but could not be deserialized, so some answers are lost and the
   * pool cannot tell which tasks they were for. Without this the tasks would stay pending
   * forever: the tasks that started reject with a coded error, the worker is replaced
   * (a task still running on it cannot report anyway) and untouched ones run elsewhere.
   */
  onMessageError(worker: PoolWorker, error: Error): void {
    if (worker.retiring) return;
    const { started, untouched } = worker.splitInFlight();
    for (const task of started) {
      this.#ledger.fail(
        task,
        new NextGenError(
          "NG_ERR_POOL_TASK_FAILED",
          `A reply from worker ${worker.threadId} could not be deserialized: ${error.message}`,
          { cause: error },
        ),
      );
    }
    // Back to the queue first: retiring refills the other workers from it.
    this.#requeue(untouched);
    this.retire(worker);
  }

  #requeue(tasks: Task[]): void {
    if (tasks.length === 0) return;
    if (this.closing) {
      for (const task of tasks) this.#ledger.fail(task, closedError(this.#name));
      return;
    }
    this.#dispatcher.requeue(tasks);
  }

  #replenish(keepMinimum: boolean): void {
    if (this.closing) return;
    const live = this.#workers.live;
    const wanted = this.#dispatcher.queue.size > 0 ? 1 : keepMinimum ? this.#minThreads : 0;
    while (live.length < wanted) this.spawn();
    for (const worker of live) this.#dispatcher.fill(worker);
  }
}

/** `NG_ERR_POOL_CLOSED` for a task the closing pool `pool` will not run. @internal */
export function closedError(pool: string): NextGenError {
  return new NextGenError("NG_ERR_POOL_CLOSED", `Pool ${pool} closed`);
}
