import type { EventLoopUtilization } from "node:perf_hooks";
import { type TransferListItem, Worker } from "node:worker_threads";
import { OptionsError } from "../errors/options-error.js";
import { poolModuleUrl, typeScriptFile } from "./pool-module-url.js";
import { type PoolTask, TaskState } from "./pool-task.js";
import type { RuntimeConfig } from "./protocol.js";

let runtimeUrl: URL | undefined;

/** The worker entry file: `.ts` beside the sources under a test runner, `.js` in `dist`. */
function workerRuntimeUrl(): URL {
  runtimeUrl ??= poolModuleUrl("worker-runtime");
  return runtimeUrl;
}

/**
 * Names the module hooks a worker registers before the pool's runtime when that runtime or
 * the task module is TypeScript: the URL of a module whose `register()` installs them
 * (`tsx/esm/api`). Node 20 cannot load `.ts` in a worker, and `--import` in `execArgv` does not
 * reach a worker's entry module, so a test setup sets it (vitest.config.ts does); built `.js`
 * workers never read it.
 */
export const WORKER_HOOKS_ENV = "NEXTGEN_WORKER_HOOKS";

function workerHooks(): string | undefined {
  const url = process.env[WORKER_HOOKS_ENV];
  return url === undefined || url === "" ? undefined : url;
}

function needsHooks(moduleUrl: string): boolean {
  return typeScriptFile.test(moduleUrl) || typeScriptFile.test(workerRuntimeUrl().href);
}

/** The Worker entry: the runtime itself, or a two-step bootstrap that registers the hooks first. */
function workerEntry(moduleUrl: string): { entry: URL | string; eval: boolean } {
  const runtime = workerRuntimeUrl();
  const hooks = workerHooks();
  if (!needsHooks(moduleUrl) || hooks === undefined) return { entry: runtime, eval: false };
  const code =
    `import(${JSON.stringify(hooks)})` +
    `.then((hooks) => { hooks.register(); return import(${JSON.stringify(runtime.href)}); });`;
  return { entry: code, eval: true };
}

/**
 * Throws at pool construction, rather than at the first task, when a TypeScript task module
 * could not load in a worker because no module hooks are named.
 */
export function assertLoadable(moduleUrl: string): void {
  if (!needsHooks(moduleUrl) || workerHooks() !== undefined) return;
  throw new OptionsError(
    "options.filename",
    `is a TypeScript file, which Node cannot load in a worker thread: point at the built .js, or set ${WORKER_HOOKS_ENV} to the URL of a module whose register() installs TypeScript hooks (such as tsx/esm/api)`,
  );
}

/** Tasks assigned to a worker and not yet posted, to leave in one message. */
export interface Outbox {
  /** Flat `[id, payload, carrier, …]` (see `TaskBatch`). */
  readonly message: unknown[];
  readonly tasks: PoolTask<PoolWorker>[];
  readonly transfers: TransferListItem[] | undefined;
}

/**
 * One thread of the pool. The record owns its state (as Piscina's `WorkerInfo`): what
 * it was sent and in which order, what it answered, whether it is ready, exclusive or
 * retiring. The pool decides where tasks go; this class keeps the books.
 */
export class PoolWorker {
  readonly worker: Worker;
  readonly threadId: number;
  /** Tasks sent and not yet answered, in the order the worker runs them. */
  readonly #inflight: PoolTask<PoolWorker>[] = [];
  /** The task module has loaded (execution timeouts start from here). */
  ready = false;
  /** Runs a task that must not have others pipelined behind it. */
  exclusive = false;
  /** The pool terminated it on purpose (shrink, abort, timeout, close), or it exited. */
  retiring = false;
  /** The last `error` event, reported as the cause of a crash. */
  lastError: unknown = undefined;
  /** Resolves once the thread has exited. */
  readonly exited: Promise<void>;
  /** How many tasks the worker has started (written by the worker, see `RuntimeConfig`). */
  readonly #progress: Int32Array = new Int32Array(new SharedArrayBuffer(4));
  /** Bumped after each post: see `RuntimeConfig.doorbell`. */
  readonly #doorbell: Int32Array = new Int32Array(new SharedArrayBuffer(4));
  /** How many tasks the worker has answered. */
  #answered = 0;
  #outbox: unknown[] = [];
  #outboxTasks: PoolTask<PoolWorker>[] = [];
  #outboxTransfers: TransferListItem[] | undefined = undefined;
  /** Baseline for event-loop utilisation deltas. */
  #eventLoopBaseline: EventLoopUtilization | undefined = undefined;
  #markExited!: () => void;

  constructor(
    moduleUrl: string,
    userData: unknown,
    resourceLimits: Worker["resourceLimits"] | undefined,
    light: Int32Array,
  ) {
    const { entry, eval: isCode } = workerEntry(moduleUrl);
    const config: RuntimeConfig = { moduleUrl, userData, progress: this.#progress, doorbell: this.#doorbell, light };
    this.worker = new Worker(entry, {
      eval: isCode,
      workerData: config,
      ...(resourceLimits === undefined ? {} : { resourceLimits }),
    });
    this.threadId = this.worker.threadId;
    this.exited = new Promise((resolve) => {
      this.#markExited = resolve;
    });
    this.worker.once("exit", () => this.#markExited());
    // Idle threads must not keep the host process alive; the pool refs busy ones.
    this.worker.unref();
  }

  /** Tasks sent and not yet answered. */
  get depth(): number {
    return this.#inflight.length;
  }

  /** Whether it has outbox tasks waiting for the dispatcher's post. */
  get hasOutbox(): boolean {
    return this.#outboxTasks.length > 0;
  }

  /** Sends `task` here: in flight now, posted with the next {@link takeOutbox}. */
  assign(task: PoolTask<PoolWorker>): void {
    if (this.#inflight.length === 0) this.worker.ref();
    task.state = TaskState.Sent;
    task.worker = this;
    this.#inflight.push(task);
    if (task.exclusive) this.exclusive = true;
    if (this.ready) task.armTimeout();
    this.#outbox.push(task.id, task.payload, task.carrier);
    this.#outboxTasks.push(task);
    if (task.transferList !== undefined) {
      this.#outboxTransfers ??= [];
      this.#outboxTransfers.push(...task.transferList);
    }
  }

  /** The tasks assigned since the last call, as one message; undefined when none. */
  takeOutbox(): Outbox | undefined {
    if (this.#outboxTasks.length === 0) return undefined;
    const outbox = { message: this.#outbox, tasks: this.#outboxTasks, transfers: this.#outboxTransfers };
    this.#outbox = [];
    this.#outboxTasks = [];
    this.#outboxTransfers = undefined;
    return outbox;
  }

  /** The task module loaded: execution timeouts of the tasks already sent start now. */
  markReady(): void {
    this.ready = true;
    this.#eventLoopBaseline = this.worker.performance.eventLoopUtilization();
    for (const task of this.#inflight) task.armTimeout();
  }

  /** The worker answered `taskId`: the task it was running, or undefined for a stale answer. */
  settle(taskId: unknown): PoolTask<PoolWorker> | undefined {
    const task = this.#inflight[0];
    if (task === undefined || task.id !== taskId) return undefined;
    this.#inflight.shift();
    this.#answered++;
    return task;
  }

  /** Takes `task` back (it failed before it could be posted, or was stopped). */
  remove(task: PoolTask<PoolWorker>): void {
    const index = this.#inflight.indexOf(task);
    if (index >= 0) this.#inflight.splice(index, 1);
  }

  /** Takes every task in flight (and drops what was not posted yet): the worker is going away. */
  takeInFlight(): PoolTask<PoolWorker>[] {
    this.takeOutbox();
    return this.#inflight.splice(0);
  }

  /**
   * After a crash or a lost reply: the tasks in flight that had started (the one running,
   * and any that finished but whose answer was lost), and those that never started.
   * Started ones count as answered.
   */
  splitInFlight(): { started: PoolTask<PoolWorker>[]; untouched: PoolTask<PoolWorker>[] } {
    const tasks = this.takeInFlight();
    const startedCount = this.ready ? Math.max(0, Atomics.load(this.#progress, 0) - this.#answered) : 1;
    this.#answered += Math.min(startedCount, tasks.length);
    return { started: tasks.slice(0, startedCount), untouched: tasks.slice(startedCount) };
  }

  /** Back to idle: nothing pipelined any more, and the thread no longer keeps the process alive. */
  markIdle(): void {
    this.exclusive = false;
    this.worker.unref();
  }

  /** Event-loop utilisation (0–1) since the previous call; undefined before the module loaded. */
  eventLoopUtilisation(): number | undefined {
    if (!this.ready || this.#eventLoopBaseline === undefined) return undefined;
    const now = this.worker.performance.eventLoopUtilization();
    const delta = this.worker.performance.eventLoopUtilization(now, this.#eventLoopBaseline).utilization;
    this.#eventLoopBaseline = now;
    return delta;
  }

  /** Posts tasks and rings the doorbell, for a worker that polls for work. */
  post(message: unknown[], transferList: readonly TransferListItem[] | undefined): void {
    this.worker.postMessage(message, transferList);
    Atomics.add(this.#doorbell, 0, 1);
  }

  /** Ends the thread; the `exit` event follows. */
  retire(): void {
    if (this.retiring) return;
    this.retiring = true;
    this.worker.terminate().catch(() => {
      // terminate() only rejects when the thread is already gone; exit has fired then.
    });
  }
}
