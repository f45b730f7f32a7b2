import type { PoolTaskContext } from "../diagnostics/payloads.js";
import { plain, publish, tracing } from "../diagnostics/publish.js";
import { NextGenError } from "../errors/next-gen-error.js";
import { type DispatchStrategy, fastPathStrategy, plainStrategy } from "./dispatch-strategy.js";
import { PoolScaler, type ScalerSnapshot } from "./pool-scaler.js";
import { PoolTask, type TaskOwner, TaskState } from "./pool-task.js";
import { assertLoadable, PoolWorker } from "./pool-worker.js";
import { READY_MESSAGE, REPLY_OK, REPLY_STRIDE, type SerializedError, type TaskReplies } from "./protocol.js";
import { RecentSamples } from "./recent-samples.js";
import { type ResolvedPoolOptions, resolvePoolOptions } from "./resolve-options.js";
import { deserializeError } from "./serialize-error.js";
import { TaskQueue } from "./task-queue.js";
import type { CloseOptions, RunOptions, WorkerPool, WorkerPoolOptions, WorkerPoolStats } from "./types.js";

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

type Task = PoolTask<PoolWorker>;

/**
 * The engine: a queue, worker records ({@link PoolWorker}) that keep their own books, a
 * scaler that sees snapshots, and one dispatch strategy for the fast path.
 */
class Pool<Payload, Result> implements WorkerPool<Payload, Result>, TaskOwner<PoolWorker> {
  readonly name: string;
  readonly #options: WorkerPoolOptions;
  readonly #config: ResolvedPoolOptions;
  readonly #queue = new TaskQueue<Task>();
  #overflow: Task[] = [];
  /** Live threads, retiring ones excluded. */
  readonly #workers: PoolWorker[] = [];
  readonly #alive = new Set<PoolWorker>();
  readonly #scaler: PoolScaler;
  readonly #strategy: DispatchStrategy;
  readonly #waits = new RecentSamples();
  readonly #runs = new RecentSamples();
  #nextId = 0;
  #completed = 0;
  #failed = 0;
  #crashed = 0;
  #busyMs = 0;
  #closing: Promise<void> | undefined;
  #flushScheduled = false;

  constructor(options: WorkerPoolOptions, config: ResolvedPoolOptions) {
    this.#options = options;
    this.#config = config;
    this.name = config.name;
    this.#strategy = config.fastPath ? fastPathStrategy() : plainStrategy();
    this.#scaler = new PoolScaler(config, () => this.#rescale());
    this.#scaler.wake();
    for (let index = 0; index < config.minThreads; index++) this.#spawn();
  }

  run(payload: Payload, options?: RunOptions): Promise<Result> {
    if (tracing.poolTask.hasSubscribers) {
      const context: PoolTaskContext = {
        pool: this.name,
        taskId: this.#nextId + 1,
        queueDepth: this.#queue.size,
        threads: this.#workers.length,
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
    const task = new PoolTask<PoolWorker>(
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
      if (this.#workers.length === 0) this.#spawn();
      this.#scaler.wake();
    }
    return task.promise as Promise<Result>;
  }

  /** Sends `task` straight to a worker with room, if any. */
  #dispatch(task: Task): boolean {
    let candidate: PoolWorker | undefined;
    for (const worker of this.#workers) {
      const depth = worker.depth;
      if (depth === 0) {
        candidate = worker;
        break;
      }
      // A starting worker takes one task: the others may be free before it is ready.
      if (task.exclusive || worker.exclusive || !worker.ready || depth >= this.#strategy.depth) continue;
      if (candidate === undefined || depth < candidate.depth) candidate = worker;
    }
    if (candidate === undefined) return false;
    this.#send(candidate, [task]);
    return true;
  }

  /** Assigns tasks to a worker; they leave in one message per worker at the end of the tick. */
  #send(worker: PoolWorker, tasks: Task[]): void {
    for (const task of tasks) worker.assign(task);
    if (!this.#flushScheduled) {
      this.#flushScheduled = true;
      queueMicrotask(this.#flush);
    }
  }

  readonly #flush = (): void => {
    this.#flushScheduled = false;
    this.#recordLoad();
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

  #recordLoad(): void {
    let load = this.#queue.size;
    for (const worker of this.#workers) load += worker.depth;
    this.#strategy.recordLoad(load, this.#workers.length);
  }

  #postOne(worker: PoolWorker, task: Task): void {
    if (task.state !== TaskState.Sent) return;
    try {
      worker.post([task.id, task.payload, task.carrier], task.transferList);
    } catch (error) {
      worker.remove(task);
      this.#fail(
        task,
        new NextGenError("NG_ERR_POOL_TASK_FAILED", "Payload cannot be sent to a worker", { cause: error }),
      );
      if (worker.depth === 0) this.#markIdle(worker);
    }
  }

  /** Gives a worker that has room as much of the queue as it may take, in one message. */
  #fill(worker: PoolWorker): void {
    if (this.#queue.size === 0 || worker.retiring || worker.exclusive) return;
    const batch: Task[] = [];
    let depth = worker.depth;
    const limit = worker.ready ? this.#strategy.depth : 1;
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
      const task = this.#overflow.shift() as Task;
      if (task.state !== TaskState.Overflow) continue;
      task.state = TaskState.Queued;
      if (!this.#dispatch(task)) this.#queue.push(task);
    }
  }

  /** Starts a thread and hands it queued work at once (messages wait until it is ready). */
  #spawn(): PoolWorker {
    this.#scaler.accountThreads(this.#workers.length);
    const worker = new PoolWorker(
      this.#config.moduleUrl,
      this.#options.workerData,
      this.#options.resourceLimits,
      this.#strategy.light,
    );
    this.#workers.push(worker);
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
      worker.markReady();
      this.#fill(worker);
      return;
    }
    for (let index = 0; index < message.length; index += REPLY_STRIDE) {
      const task = worker.settle(message[index]);
      if (task === undefined) continue;
      this.#settle(
        worker,
        task,
        message[index + 1] as number,
        message[index + 2],
        message[index + 3] as number,
        message[index + 4] as number,
      );
    }
    this.#recordLoad();
    if (worker.depth === 0) {
      this.#markIdle(worker);
      if (this.#closing !== undefined) {
        this.#retire(worker);
        return;
      }
    }
    this.#fill(worker);
  }

  #settle(worker: PoolWorker, task: Task, status: number, value: unknown, startTime: number, endTime: number): void {
    const runMs = endTime - startTime;
    const waitMs = Math.max(0, startTime - task.enqueuedAt);
    this.#runs.add(runMs);
    this.#waits.add(waitMs);
    this.#busyMs += runMs;
    this.#strategy.recordRun(runMs);
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
      this.#completed++;
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
    worker.markIdle();
    this.#scaler.touch();
  }

  #fail(task: Task, error: NextGenError): void {
    this.#failed++;
    task.settle(error);
  }

  onTaskAbort(task: Task): void {
    this.#stop(task, aborted(this.name, task.signal));
  }

  onTaskTimeout(task: Task): void {
    this.#stop(task, new NextGenError("NG_ERR_POOL_TASK_TIMEOUT", `Task ran longer than ${task.timeoutMs} ms`));
  }

  /** Ends one task: a queued one just leaves the queue; a running one takes its worker down. */
  #stop(task: Task, error: NextGenError): void {
    const { state, worker } = task;
    if (state === TaskState.Settled) return;
    this.#fail(task, error);
    if (state === TaskState.Queued) {
      this.#queue.forget();
      this.#admitOverflow();
    } else if (state === TaskState.Sent && worker !== undefined) {
      worker.remove(task);
      this.#retire(worker);
    }
  }

  /** Terminates a worker on purpose; its untouched tasks go back to the queue. */
  #retire(worker: PoolWorker): void {
    if (worker.retiring) return;
    this.#scaler.accountThreads(this.#workers.length);
    const index = this.#workers.indexOf(worker);
    if (index >= 0) this.#workers.splice(index, 1);
    worker.retire();
    this.#requeue(worker.takeInFlight());
    this.#replenish();
  }

  #onExit(worker: PoolWorker, code: number): void {
    this.#alive.delete(worker);
    if (worker.retiring) return;
    this.#scaler.accountThreads(this.#workers.length);
    const index = this.#workers.indexOf(worker);
    if (index >= 0) this.#workers.splice(index, 1);
    worker.retiring = true;
    const { started, untouched } = worker.splitInFlight();
    const cause = worker.lastError ?? new Error(`worker exited with code ${code}`);
    const reason = cause instanceof Error ? cause.message : String(cause);
    this.#crashed += started.length;
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
    const { started, untouched } = worker.splitInFlight();
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
    // Back to the queue first: retiring refills the other workers from it.
    this.#requeue(untouched);
    this.#retire(worker);
  }

  #requeue(tasks: Task[]): void {
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
    while (this.#workers.length < wanted) this.#spawn();
    for (const worker of this.#workers) this.#fill(worker);
  }

  /** Retires up to `count` idle workers (the scaler shrinking). */
  #retireIdle(count: number): void {
    let retired = 0;
    for (let index = this.#workers.length - 1; index >= 0 && retired < count; index--) {
      const worker = this.#workers[index];
      if (worker !== undefined && worker.depth === 0) {
        this.#retire(worker);
        retired++;
      }
    }
  }

  /** One scaler interval: a snapshot in, a thread count out, applied here. */
  #rescale(): void {
    const decision = this.#scaler.evaluate(this.#snapshot());
    const threads = this.#workers.length;
    if (decision === undefined || decision.threads === threads) return;
    if (decision.threads > threads) for (let count = threads; count < decision.threads; count++) this.#spawn();
    else this.#retireIdle(threads - decision.threads);
    const after = this.#workers.length;
    if (after !== threads) {
      publish(plain.poolScale, () => ({ pool: this.name, from: threads, to: after, reason: decision.reason }));
    }
  }

  #snapshot(): ScalerSnapshot {
    const head = this.#queue.peek() ?? this.#overflow[0];
    let utilisation = 0;
    let counted = 0;
    for (const worker of this.#workers) {
      const delta = worker.eventLoopUtilisation();
      if (delta === undefined) continue;
      utilisation += delta;
      counted++;
    }
    return {
      threads: this.#workers.length,
      queued: this.#queue.size + this.#overflow.length,
      busy: this.#busy(),
      oldestWaitMs: head === undefined ? 0 : Math.max(0, performance.timeOrigin + performance.now() - head.enqueuedAt),
      completed: this.#completed,
      busyMs: this.#busyMs,
      waits: this.#waits.percentiles(),
      runs: this.#runs.percentiles(),
      eventLoopUtilisation: counted === 0 ? 0 : utilisation / counted,
      closed: this.#closing !== undefined,
    };
  }

  #busy(): number {
    let busy = 0;
    for (const worker of this.#workers) if (worker.depth > 0) busy++;
    return busy;
  }

  stats(): WorkerPoolStats {
    return {
      name: this.name,
      threads: this.#workers.length,
      busy: this.#busy(),
      queued: this.#queue.size,
      completed: this.#completed,
      failed: this.#failed,
      crashed: this.#crashed,
      maxThreads: this.#config.maxThreads,
      maxQueue: this.#config.maxQueue,
      closed: this.#closing !== undefined,
      utilisation: this.#scaler.lifetimeUtilisation(this.#workers.length, this.#busyMs),
      waitMs: this.#waits.percentiles(),
      runMs: this.#runs.percentiles(),
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
    for (const worker of [...this.#workers]) {
      if (options?.force === true) {
        for (const task of worker.takeInFlight()) this.#fail(task, closedError());
      }
      if (worker.depth === 0) this.#retire(worker);
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
