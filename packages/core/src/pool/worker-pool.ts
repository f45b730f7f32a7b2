import type { PoolTaskContext } from "../diagnostics/payloads.js";
import { plain, publish, tracing } from "../diagnostics/publish.js";
import { NextGenError } from "../errors/next-gen-error.js";
import { fastPathStrategy, plainStrategy } from "./dispatch-strategy.js";
import { type PoolParts, poolStats, scalerSnapshot } from "./pool-readings.js";
import { PoolScaler } from "./pool-scaler.js";
import { PoolTask, type TaskOwner, TaskState } from "./pool-task.js";
import { assertLoadable, type PoolWorker } from "./pool-worker.js";
import { READY_MESSAGE, REPLY_STRIDE, type TaskReplies } from "./protocol.js";
import { type ResolvedPoolOptions, resolvePoolOptions } from "./resolve-options.js";
import { TaskDispatcher } from "./task-dispatcher.js";
import { TaskLedger } from "./task-ledger.js";
import type { CloseOptions, RunOptions, WorkerPool, WorkerPoolOptions, WorkerPoolStats } from "./types.js";
import { closedError, WorkerLifecycle } from "./worker-lifecycle.js";
import { WorkerSet } from "./worker-set.js";

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
 * The engine. It decides, and the parts keep their own state: the dispatcher
 * ({@link TaskDispatcher}: queue, overflow, one post per worker and turn, the fast-path strategy),
 * the threads ({@link WorkerSet}, each a {@link PoolWorker} record) and their
 * replacement ({@link WorkerLifecycle}), the books ({@link TaskLedger}) and the scaler,
 * which sees snapshots and answers a thread count.
 */
class Pool<Payload, Result> implements WorkerPool<Payload, Result>, TaskOwner<PoolWorker> {
  readonly name: string;
  readonly #config: ResolvedPoolOptions;
  readonly #workers: WorkerSet;
  readonly #dispatcher: TaskDispatcher;
  readonly #ledger = new TaskLedger();
  readonly #scaler: PoolScaler;
  readonly #lifecycle: WorkerLifecycle;
  /** The same parts, as the readings (`stats()`, the scaler's snapshot) take them. */
  readonly #parts: PoolParts;
  #nextId = 0;
  #closing: Promise<void> | undefined;

  constructor(options: WorkerPoolOptions, config: ResolvedPoolOptions) {
    this.#config = config;
    this.name = config.name;
    const strategy = config.fastPath ? fastPathStrategy() : plainStrategy();
    const scaler = new PoolScaler(config, () => this.#rescale());
    this.#scaler = scaler;
    const workers = new WorkerSet(
      {
        moduleUrl: config.moduleUrl,
        workerData: options.workerData,
        resourceLimits: options.resourceLimits,
        light: strategy.light,
        beforeResize: (threads) => scaler.accountThreads(threads),
      },
      {
        onMessage: (worker, message) => this.#onMessage(worker, message),
        onExit: (worker, code) => this.#lifecycle.onExit(worker, code),
        onMessageError: (worker, error) => this.#lifecycle.onMessageError(worker, error),
      },
    );
    this.#workers = workers;
    this.#dispatcher = new TaskDispatcher(strategy, workers.live, config.maxQueue, (worker, task, error) =>
      this.#lifecycle.unsendable(worker, task, error),
    );
    this.#parts = { config, workers, dispatcher: this.#dispatcher, ledger: this.#ledger, scaler };
    this.#lifecycle = new WorkerLifecycle(this.#parts);
    scaler.wake();
    for (let index = 0; index < config.minThreads; index++) this.#lifecycle.spawn();
  }

  run(payload: Payload, options?: RunOptions): Promise<Result> {
    if (tracing.poolTask.hasSubscribers) {
      const context: PoolTaskContext = {
        pool: this.name,
        taskId: this.#nextId + 1,
        queueDepth: this.#dispatcher.queue.size,
        threads: this.#workers.live.length,
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
    if (!this.#dispatcher.dispatch(task)) {
      if (!this.#dispatcher.enqueue(task, options?.waitForQueue === true)) {
        task.settle(
          new NextGenError(
            "NG_ERR_POOL_QUEUE_FULL",
            `Pool ${this.name} queue is full (${this.#config.maxQueue} tasks)`,
          ),
        );
      }
      if (this.#workers.live.length === 0) this.#lifecycle.spawn();
      this.#scaler.taskQueued();
    }
    return task.promise as Promise<Result>;
  }

  /** A worker answered: settle what it finished, then give it more if it has room. */
  #onMessage(worker: PoolWorker, message: TaskReplies | typeof READY_MESSAGE): void {
    const dispatcher = this.#dispatcher;
    if (message === READY_MESSAGE) {
      worker.markReady();
      dispatcher.fill(worker);
      return;
    }
    for (let index = 0; index < message.length; index += REPLY_STRIDE) {
      const task = worker.settle(message[index]);
      if (task === undefined) continue;
      const runMs = this.#ledger.settleReply(
        worker,
        task,
        message[index + 1] as number,
        message[index + 2],
        message[index + 3] as number,
        message[index + 4] as number,
        dispatcher.queue.size,
      );
      dispatcher.strategy.recordRun(runMs);
    }
    dispatcher.recordLoad();
    if (worker.depth === 0) {
      this.#lifecycle.markIdle(worker);
      if (this.#lifecycle.closing) {
        this.#lifecycle.retire(worker);
        return;
      }
    }
    dispatcher.fill(worker);
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
    this.#ledger.fail(task, error);
    if (state === TaskState.Queued) {
      this.#dispatcher.queue.forget();
      this.#dispatcher.admitOverflow();
    } else if (state === TaskState.Sent && worker !== undefined) {
      worker.remove(task);
      this.#lifecycle.retire(worker);
    }
  }

  /** One scaler interval: a snapshot in, a thread count out, applied here. */
  #rescale(): void {
    const decision = this.#scaler.evaluate(scalerSnapshot(this.#parts, this.#closing !== undefined));
    const live = this.#workers.live;
    const threads = live.length;
    if (decision === undefined || decision.threads === threads) return;
    if (decision.threads > threads) {
      for (let count = threads; count < decision.threads; count++) this.#lifecycle.spawn();
    } else {
      this.#lifecycle.retireIdle(threads - decision.threads);
    }
    const after = live.length;
    if (after !== threads) {
      publish(plain.poolScale, () => ({ pool: this.name, from: threads, to: after, reason: decision.reason }));
    }
  }

  stats(): WorkerPoolStats {
    return poolStats(this.name, this.#parts, this.#closing !== undefined);
  }

  close(options?: CloseOptions): Promise<void> {
    if (this.#closing !== undefined) return this.#closing;
    this.#scaler.stop();
    const waiting = this.#dispatcher.takeWaiting();
    // Set before rejecting so that callbacks of the rejected tasks see a closed pool.
    this.#closing = Promise.resolve();
    this.#lifecycle.closing = true;
    for (const task of waiting) if (task.state !== TaskState.Settled) this.#ledger.fail(task, closedError(this.name));
    for (const worker of [...this.#workers.live]) {
      if (options?.force === true) {
        for (const task of worker.takeInFlight()) this.#ledger.fail(task, closedError(this.name));
      }
      if (worker.depth === 0) this.#lifecycle.retire(worker);
    }
    // Busy workers retire as their last task answers.
    this.#closing = this.#workers.exited();
    return this.#closing;
  }
}

function aborted(pool: string, signal: AbortSignal | undefined): NextGenError {
  return new NextGenError("NG_ERR_POOL_TASK_ABORTED", `Task aborted in pool ${pool}`, { cause: signal?.reason });
}
