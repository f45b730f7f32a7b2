// From node:timers rather than the global: a caller's fake timers (vitest, jest) replace
// the global, and tasks must still leave for their workers.
import { setImmediate } from "node:timers";
import type { DispatchStrategy } from "./dispatch-strategy.js";
import type { PoolTask } from "./pool-task.js";
import { TaskState } from "./pool-task.js";
import type { PoolWorker } from "./pool-worker.js";
import { TaskQueue } from "./task-queue.js";

type Task = PoolTask<PoolWorker>;

/**
 * Where tasks wait and how they reach a worker: the queue, the overflow of callers
 * waiting for room (`waitForQueue`), and the post that sends every task assigned to a
 * worker in one event-loop turn in one message. It reads the pool's live workers
 * and never starts or stops one. @internal
 *
 * @example
 * ```ts
 * const dispatcher = new TaskDispatcher(fastPathStrategy(), workers, 1_000, onUnsendable);
 * if (!dispatcher.dispatch(task)) dispatcher.enqueue(task);
 * ```
 */
export class TaskDispatcher {
  readonly queue: TaskQueue<Task> = new TaskQueue<Task>();
  readonly strategy: DispatchStrategy;
  #overflow: Task[] = [];
  readonly #workers: readonly PoolWorker[];
  readonly #maxQueue: number;
  readonly #onUnsendable: (worker: PoolWorker, task: Task, error: unknown) => void;
  #flushScheduled = false;

  /**
   * `workers` is the pool's own list of live workers (read, never changed here);
   * `onUnsendable` is told when a task's payload cannot be posted (it is in flight on
   * `worker` until the pool takes it back).
   */
  constructor(
    strategy: DispatchStrategy,
    workers: readonly PoolWorker[],
    maxQueue: number,
    onUnsendable: (worker: PoolWorker, task: Task, error: unknown) => void,
  ) {
    this.strategy = strategy;
    this.#workers = workers;
    this.#maxQueue = maxQueue;
    this.#onUnsendable = onUnsendable;
  }

  /** Tasks waiting: queued plus those waiting for room in the queue. */
  get waiting(): number {
    return this.queue.size + this.#overflow.length;
  }

  /** The task that has waited longest, if any. */
  oldest(): Task | undefined {
    return this.queue.peek() ?? this.#overflow[0];
  }

  /** Queues a task no worker could take now: false when the queue is full. */
  enqueue(task: Task, waitForQueue: boolean): boolean {
    if (this.queue.size < this.#maxQueue) {
      this.queue.push(task);
    } else if (waitForQueue) {
      task.state = TaskState.Overflow;
      this.#overflow.push(task);
    } else {
      return false;
    }
    return true;
  }

  /** Sends `task` straight to a worker with room, if any. */
  dispatch(task: Task): boolean {
    let candidate: PoolWorker | undefined;
    for (const worker of this.#workers) {
      const depth = worker.depth;
      if (depth === 0) {
        candidate = worker;
        break;
      }
      // A starting worker takes one task: the others may be free before it is ready.
      if (task.exclusive || worker.exclusive || !worker.ready || depth >= this.strategy.depth) continue;
      if (candidate === undefined || depth < candidate.depth) candidate = worker;
    }
    if (candidate === undefined) return false;
    this.#send(candidate, [task]);
    return true;
  }

  /** Gives a worker that has room as much of the queue as it may take, in one message. */
  fill(worker: PoolWorker): void {
    if (this.queue.size === 0 || worker.retiring || worker.exclusive) return;
    const batch: Task[] = [];
    let depth = worker.depth;
    const limit = worker.ready ? this.strategy.depth : 1;
    while (depth < limit) {
      const next = this.queue.peek();
      if (next === undefined) break;
      if (next.exclusive && depth > 0) break;
      this.queue.shift();
      batch.push(next);
      depth++;
      if (next.exclusive) break;
    }
    if (batch.length > 0) this.#send(worker, batch);
    this.admitOverflow();
  }

  /** Moves callers waiting for room into the queue (or straight to a worker) while there is room. */
  admitOverflow(): void {
    while (this.#overflow.length > 0 && this.queue.size < this.#maxQueue) {
      const task = this.#overflow.shift() as Task;
      if (task.state !== TaskState.Overflow) continue;
      task.state = TaskState.Queued;
      if (!this.dispatch(task)) this.queue.push(task);
    }
  }

  /** Puts tasks that never started back at the head of the queue, in order. */
  requeue(tasks: Task[]): void {
    for (const task of tasks) task.state = TaskState.Queued;
    this.queue.pushFront(tasks);
  }

  /** Takes every task still waiting (the pool is closing). */
  takeWaiting(): Task[] {
    return [...this.#overflow.splice(0), ...this.queue.drain()];
  }

  /** Tells the strategy how loaded the pool is (queued plus in flight, against threads). */
  recordLoad(): void {
    let load = this.queue.size;
    for (const worker of this.#workers) load += worker.depth;
    this.strategy.recordLoad(load, this.#workers.length);
  }

  /**
   * Assigns tasks to a worker; they leave in one message per worker once the event loop
   * has handled every reply it had ready (`setImmediate`, not a microtask). A worker
   * posts each result on its own (so a heap-limit exit cannot take finished results with
   * it), and the tasks their callers submit next would otherwise leave one message per
   * reply: with 512 no-op tasks in flight that cost 2.5× the main thread's CPU per task.
   * A lightly loaded pool (no more tasks than threads, see `DispatchStrategy.light`) has
   * nothing to batch and posts at the microtask checkpoint: a lone task's round trip
   * would otherwise wait for the rest of the turn.
   */
  #send(worker: PoolWorker, tasks: Task[]): void {
    for (const task of tasks) worker.assign(task);
    if (!this.#flushScheduled) {
      this.#flushScheduled = true;
      if (Atomics.load(this.strategy.light, 0) === 1) queueMicrotask(this.#flush);
      else setImmediate(this.#flush);
    }
  }

  readonly #flush = (): void => {
    this.#flushScheduled = false;
    this.recordLoad();
    for (const worker of this.#workers) {
      const outbox = worker.takeOutbox();
      if (outbox === undefined) continue;
      try {
        worker.post(outbox.message, outbox.transfers);
      } catch {
        // One payload cannot be cloned: send them one by one so that only it fails.
        for (const task of outbox.tasks) this.#postOne(worker, task);
      }
    }
  };

  #postOne(worker: PoolWorker, task: Task): void {
    if (task.state !== TaskState.Sent) return;
    try {
      worker.post([task.id, task.payload, task.carrier], task.transferList);
    } catch (error) {
      this.#onUnsendable(worker, task, error);
    }
  }
}
