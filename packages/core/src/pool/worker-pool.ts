import type { PoolTaskContext } from "../diagnostics/payloads.js";
import { tracing } from "../diagnostics/publish.js";
import { NextGenError } from "../errors/next-gen-error.js";
import { PoolScaler } from "./pool-scaler.js";
import { PoolTask, type TaskOwner, TaskState } from "./pool-task.js";
import { assertLoadable, PoolWorker } from "./pool-worker.js";
import { READY_MESSAGE, REPLY_OK, REPLY_STRIDE, type SerializedError, type TaskReplies } from "./protocol.js";
import { RecentSamples } from "./recent-samples.js";
import { type ResolvedPoolOptions, resolvePoolOptions } from "./resolve-options.js";
import { deserializeError } from "./serialize-error.js";
import { TaskQueue } from "./task-queue.js";
import type { CloseOptions, RunOptions, WorkerPool, WorkerPoolOptions, WorkerPoolStats } from "./types.js";

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
 * Creates a pool of worker threads running the task module `filename`.
 *
 * @example
 * ```ts
 * import { createWorkerPool } from "@nextgen/core/pool";
 *
 * const pool = createWorkerPool<{ text: string }, number>({
 *   filename: new URL("./count-words.js", import.meta.url),
 *   taskTimeoutMs: 5_000,
 * });
 * const words = await pool.run({ text: "one two three" });
 * console.log(words, pool.stats());
 * await pool.close();
 * ```
 */
export function createWorkerPool<Payload = unknown, Result = unknown>(
  options: WorkerPoolOptions,
): WorkerPool<Payload, Result> {
  const config = resolvePoolOptions(options);
  assertLoadable(config.moduleUrl);
  return new Pool<Payload, Result>(options, config);
}

class Pool<Payload, Result> implements WorkerPool<Payload, Result>, TaskOwner {
  readonly name: string;
  readonly #options: WorkerPoolOptions;
  readonly #config: ResolvedPoolOptions;
  readonly #queue = new TaskQueue();
  #overflow: PoolTask[] = [];
  /** Live threads, retiring ones excluded. */
  readonly workers: PoolWorker[] = [];
  readonly #alive = new Set<PoolWorker>();
  readonly #scaler: PoolScaler;
  readonly waits = new RecentSamples();
  readonly runs = new RecentSamples();
  #nextId = 0;
  completed = 0;
  failed = 0;
  crashed = 0;
  busyMs = 0;
  /** Exponential moving average of run times; pipelining needs short tasks. */
  #averageRunMs = Number.POSITIVE_INFINITY;
  #depth = 1;
  #closing: Promise<void> | undefined;
  #flushScheduled = false;
  /** See `RuntimeConfig.light`. */
  readonly #light = new Int32Array(new SharedArrayBuffer(4));

  constructor(options: WorkerPoolOptions, config: ResolvedPoolOptions) {
    this.#options = options;
    this.#config = config;
    this.name = config.name;
    this.#scaler = new PoolScaler(this, config);
    for (let index = 0; index < config.minThreads; index++) this.spawn();
  }

  run(payload: Payload, options?: RunOptions): Promise<Result> {
    if (tracing.poolTask.hasSubscribers) {
      const context: PoolTaskContext = {
        pool: this.name,
        taskId: this.#nextId + 1,
        queueDepth: this.#queue.size,
        threads: this.workers.length,
      };
      if (Number.isFinite(this.#config.maxQueue)) context.maxQueue = this.#config.maxQueue;
      return tracing.poolTask.tracePromise(() => this.#submit(payload, options, context), context);
    }
    return this.#submit(payload, options, undefined);
  }

  #submit(payload: Payload, options: RunOptions | undefined, context: PoolTaskContext | undefined): Promise<Result> {
    if (this.#closing !== undefined) {
      return Promise.reject(new NextGenError("NG_ERR_POOL_CLOSED", `Pool ${this.name} is closed`));
    }
    const signal = options?.signal;
    if (signal?.aborted) return Promise.reject(aborted(this.name, signal));
    const task = new PoolTask(
      this,
      ++this.#nextId,
      payload,
      options?.transferList,
      signal,
      options?.timeoutMs ?? this.#config.taskTimeoutMs,
      context?.traceCarrier ?? options?.traceCarrier,
      context,
    );
    if (!this.#dispatch(task)) {
      if (this.#queue.size < this.#config.maxQueue) {
        this.#queue.push(task);
      } else if (options?.waitForQueue === true) {
        task.state = TaskState.Overflow;
        this.#overflow.push(task);
      } else {
        task.settle(
          new NextGenError(
            "NG_ERR_POOL_QUEUE_FULL",
            `Pool ${this.name} queue is full (${this.#config.maxQueue} tasks)`,
          ),
        );
      }
      if (this.workers.length === 0) this.spawn();
      this.#scaler.wake();
    }
    return task.promise as Promise<Result>;
  }

  /** Sends `task` straight to a worker with room, if any. */
  #dispatch(task: PoolTask): boolean {
    let candidate: PoolWorker | undefined;
    for (const worker of this.workers) {
      const depth = worker.inflight.length;
      if (depth === 0) {
        candidate = worker;
        break;
      }
      // A starting worker takes one task: the others may be free before it is ready.
      if (task.exclusive || worker.exclusive || !worker.ready || depth >= this.#depth) continue;
      if (candidate === undefined || depth < candidate.inflight.length) candidate = worker;
    }
    if (candidate === undefined) return false;
    this.#send(candidate, [task]);
    return true;
  }

  /** Assigns tasks to a worker; they leave in one message per worker at the end of the tick. */
  #send(worker: PoolWorker, tasks: PoolTask[]): void {
    if (worker.inflight.length === 0) worker.worker.ref();
    for (const task of tasks) {
      task.state = TaskState.Sent;
      task.worker = worker;
      worker.inflight.push(task);
      if (task.exclusive) worker.exclusive = true;
      if (worker.ready) task.armTimeout();
      worker.outbox.push(task.id, task.payload, task.carrier);
      worker.outboxTasks.push(task);
      if (task.transferList !== undefined) {
        worker.outboxTransfers ??= [];
        worker.outboxTransfers.push(...task.transferList);
      }
    }
    if (!this.#flushScheduled) {
      this.#flushScheduled = true;
      queueMicrotask(this.#flush);
    }
  }

  readonly #flush = (): void => {
    this.#flushScheduled = false;
    this.#updateLight();
    for (const worker of this.workers) {
      if (worker.outboxTasks.length === 0) continue;
      const { outbox, outboxTasks, outboxTransfers } = worker;
      worker.outbox = [];
      worker.outboxTasks = [];
      worker.outboxTransfers = undefined;
      try {
        worker.post(outbox, outboxTransfers);
      } catch {
        // One payload cannot be cloned: send them one by one so that only it fails.
        for (const task of outboxTasks) this.#postOne(worker, task);
      }
    }
  };

  /** Tells workers whether polling for work is worth a core (see `RuntimeConfig.light`). */
  #updateLight(): void {
    let load = this.#queue.size;
    for (const worker of this.workers) load += worker.inflight.length;
    Atomics.store(this.#light, 0, load <= this.workers.length ? 1 : 0);
  }

  #postOne(worker: PoolWorker, task: PoolTask): void {
    if (task.state !== TaskState.Sent) return;
    try {
      worker.post([task.id, task.payload, task.carrier], task.transferList);
    } catch (error) {
      worker.inflight.splice(worker.inflight.indexOf(task), 1);
      this.#fail(
        task,
        new NextGenError("NG_ERR_POOL_TASK_FAILED", "Payload cannot be sent to a worker", { cause: error }),
      );
      if (worker.inflight.length === 0) this.#markIdle(worker);
    }
  }

  /** Gives a worker that has room as much of the queue as it may take, in one message. */
  #fill(worker: PoolWorker): void {
    if (this.#queue.size === 0 || worker.retiring || worker.exclusive) return;
    const batch: PoolTask[] = [];
    let depth = worker.inflight.length;
    const limit = worker.ready ? this.#depth : 1;
    while (depth < limit) {
      const next = this.#queue.peek();
      if (next === undefined) break;
      if (next.exclusive && depth > 0) break;
      this.#queue.shift();
      batch.push(next);
      depth++;
      if (next.exclusive) break;
    }
    if (batch.length > 0) this.#send(worker, batch);
    this.#admitOverflow();
  }

  #admitOverflow(): void {
    while (this.#overflow.length > 0 && this.#queue.size < this.#config.maxQueue) {
      const task = this.#overflow.shift() as PoolTask;
      if (task.state !== TaskState.Overflow) continue;
      task.state = TaskState.Queued;
      if (!this.#dispatch(task)) this.#queue.push(task);
    }
  }

  /** Starts a thread and hands it queued work at once (messages wait until it is ready). */
  spawn(): PoolWorker {
    this.#scaler.accountThreads();
    const worker = new PoolWorker(
      this.#config.moduleUrl,
      this.#options.workerData,
      this.#options.resourceLimits,
      this.#light,
    );
    this.workers.push(worker);
    this.#alive.add(worker);
    worker.worker.on("message", (message: TaskReplies | typeof READY_MESSAGE) => this.#onMessage(worker, message));
    worker.worker.on("error", (error) => {
      worker.lastError = error;
    });
    worker.worker.on("exit", (code) => this.#onExit(worker, code));
    worker.worker.on("messageerror", (error) => this.#onMessageError(worker, error));
    this.#fill(worker);
    return worker;
  }

  #onMessage(worker: PoolWorker, message: TaskReplies | typeof READY_MESSAGE): void {
    if (message === READY_MESSAGE) {
      worker.ready = true;
      worker.eventLoopBaseline = worker.worker.performance.eventLoopUtilization();
      for (const task of worker.inflight) task.armTimeout();
      this.#fill(worker);
      return;
    }
    for (let index = 0; index < message.length; index += REPLY_STRIDE) {
      const task = worker.inflight[0];
      if (task === undefined || task.id !== message[index]) continue;
      worker.inflight.shift();
      worker.answered++;
      this.#settle(
        worker,
        task,
        message[index + 1] as number,
        message[index + 2],
        message[index + 3] as number,
        message[index + 4] as number,
      );
    }
    this.#updateLight();
    if (worker.inflight.length === 0) {
      this.#markIdle(worker);
      if (this.#closing !== undefined) {
        this.#retire(worker);
        return;
      }
    }
    this.#fill(worker);
  }

  #settle(
    worker: PoolWorker,
    task: PoolTask,
    status: number,
    value: unknown,
    startTime: number,
    endTime: number,
  ): void {
    const runMs = endTime - startTime;
    const waitMs = Math.max(0, startTime - task.enqueuedAt);
    this.runs.add(runMs);
    this.waits.add(waitMs);
    this.busyMs += runMs;
    this.#averageRunMs =
      this.#averageRunMs === Number.POSITIVE_INFINITY ? runMs : this.#averageRunMs * 0.9 + runMs * 0.1;
    // Pipeline about one millisecond of expected work per worker, at most PIPELINE_DEPTH tasks.
    this.#depth = Math.max(
      1,
      Math.min(PIPELINE_DEPTH, Math.floor(PIPELINE_BUDGET_MS / Math.max(this.#averageRunMs, 0.001))),
    );
    const context = task.context;
    if (context !== undefined) {
      context.waitMs = waitMs;
      context.runMs = runMs;
      context.threadId = worker.threadId;
      context.workerStartTime = startTime;
      context.workerEndTime = endTime;
      context.queueDepth = this.#queue.size;
    }
    if (status === REPLY_OK) {
      this.completed++;
      task.settle(undefined, value);
    } else {
      const cause = deserializeError(value as SerializedError);
      this.#fail(
        task,
        new NextGenError("NG_ERR_POOL_TASK_FAILED", `Task failed in worker: ${cause.message}`, { cause }),
      );
    }
  }

  #markIdle(worker: PoolWorker): void {
    worker.exclusive = false;
    worker.worker.unref();
    this.#scaler.touch();
  }

  #fail(task: PoolTask, error: NextGenError): void {
    this.failed++;
    task.settle(error);
  }

  onTaskAbort(task: PoolTask): void {
    this.#stop(task, aborted(this.name, task.signal));
  }

  onTaskTimeout(task: PoolTask): void {
    this.#stop(task, new NextGenError("NG_ERR_POOL_TASK_TIMEOUT", `Task ran longer than ${task.timeoutMs} ms`));
  }

  /** Ends one task: a queued one just leaves the queue; a running one takes its worker down. */
  #stop(task: PoolTask, error: NextGenError): void {
    const { state, worker } = task;
    if (state === TaskState.Settled) return;
    this.#fail(task, error);
    if (state === TaskState.Queued) {
      this.#queue.forget();
      this.#admitOverflow();
    } else if (state === TaskState.Sent && worker !== undefined) {
      const index = worker.inflight.indexOf(task);
      if (index >= 0) worker.inflight.splice(index, 1);
      this.#retire(worker);
    }
  }

  /** Terminates a worker on purpose; its untouched tasks go back to the queue. */
  #retire(worker: PoolWorker): void {
    if (worker.retiring) return;
    this.#scaler.accountThreads();
    const index = this.workers.indexOf(worker);
    if (index >= 0) this.workers.splice(index, 1);
    worker.retire();
    worker.outbox = [];
    worker.outboxTasks = [];
    worker.outboxTransfers = undefined;
    this.#requeue(worker.inflight.splice(0));
    this.#replenish();
  }

  #onExit(worker: PoolWorker, code: number): void {
    this.#alive.delete(worker);
    if (worker.retiring) return;
    this.#scaler.accountThreads();
    const index = this.workers.indexOf(worker);
    if (index >= 0) this.workers.splice(index, 1);
    worker.retiring = true;
    worker.outbox = [];
    worker.outboxTasks = [];
    worker.outboxTransfers = undefined;
    const { started, untouched } = worker.splitInflight();
    const cause = worker.lastError ?? new Error(`worker exited with code ${code}`);
    const reason = cause instanceof Error ? cause.message : String(cause);
    this.crashed += started.length;
    for (const victim of started) {
      this.#fail(
        victim,
        new NextGenError("NG_ERR_POOL_WORKER_CRASHED", `Worker ${worker.threadId} crashed: ${reason}`, { cause }),
      );
    }
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
  #onMessageError(worker: PoolWorker, error: Error): void {
    if (worker.retiring) return;
    const { started, untouched } = worker.splitInflight();
    worker.answered += started.length;
    for (const task of started) {
      this.#fail(
        task,
        new NextGenError(
          "NG_ERR_POOL_TASK_FAILED",
          `A reply from worker ${worker.threadId} could not be deserialized: ${error.message}`,
          { cause: error },
        ),
      );
    }
    worker.inflight.push(...untouched);
    this.#retire(worker);
  }

  #requeue(tasks: PoolTask[]): void {
    if (tasks.length === 0) return;
    if (this.#closing !== undefined) {
      for (const task of tasks) this.#fail(task, new NextGenError("NG_ERR_POOL_CLOSED", `Pool ${this.name} closed`));
      return;
    }
    for (const task of tasks) task.state = TaskState.Queued;
    this.#queue.pushFront(tasks);
  }

  #replenish(keepMinimum = true): void {
    if (this.#closing !== undefined) return;
    const wanted = this.#queue.size > 0 ? 1 : keepMinimum ? this.#config.minThreads : 0;
    while (this.workers.length < wanted) this.spawn();
    for (const worker of this.workers) this.#fill(worker);
  }

  /** Retires up to `count` idle workers (the scaler shrinking). */
  retireIdle(count: number): number {
    let retired = 0;
    for (let index = this.workers.length - 1; index >= 0 && retired < count; index--) {
      const worker = this.workers[index];
      if (worker !== undefined && worker.inflight.length === 0) {
        this.#retire(worker);
        retired++;
      }
    }
    return retired;
  }

  get queued(): number {
    return this.#queue.size + this.#overflow.length;
  }

  get oldestWaitMs(): number {
    const head = this.#queue.peek() ?? this.#overflow[0];
    return head === undefined ? 0 : Math.max(0, performance.timeOrigin + performance.now() - head.enqueuedAt);
  }

  get busy(): number {
    let busy = 0;
    for (const worker of this.workers) if (worker.inflight.length > 0) busy++;
    return busy;
  }

  get closed(): boolean {
    return this.#closing !== undefined;
  }

  stats(): WorkerPoolStats {
    return {
      name: this.name,
      threads: this.workers.length,
      busy: this.busy,
      queued: this.#queue.size,
      completed: this.completed,
      failed: this.failed,
      crashed: this.crashed,
      maxThreads: this.#config.maxThreads,
      maxQueue: this.#config.maxQueue,
      closed: this.#closing !== undefined,
      utilisation: this.#scaler.lifetimeUtilisation(),
      waitMs: this.waits.percentiles(),
      runMs: this.runs.percentiles(),
    };
  }

  close(options?: CloseOptions): Promise<void> {
    if (this.#closing !== undefined) return this.#closing;
    this.#scaler.stop();
    const closedError = (): NextGenError => new NextGenError("NG_ERR_POOL_CLOSED", `Pool ${this.name} closed`);
    const pending = [...this.#overflow.splice(0), ...this.#queue.drain()];
    // Set before rejecting so that callbacks of the rejected tasks see a closed pool.
    this.#closing = Promise.resolve();
    for (const task of pending) if (task.state !== TaskState.Settled) this.#fail(task, closedError());
    for (const worker of [...this.workers]) {
      if (options?.force === true) {
        for (const task of worker.inflight.splice(0)) this.#fail(task, closedError());
      }
      if (worker.inflight.length === 0) this.#retire(worker);
    }
    this.#closing = this.#waitForExit();
    return this.#closing;
  }

  async #waitForExit(): Promise<void> {
    // Busy workers retire as their last task answers; new exits may follow earlier ones.
    while (this.#alive.size > 0) await Promise.all([...this.#alive].map((worker) => worker.exited));
  }
}

function aborted(pool: string, signal: AbortSignal | undefined): NextGenError {
  return new NextGenError("NG_ERR_POOL_TASK_ABORTED", `Task aborted in pool ${pool}`, { cause: signal?.reason });
}
