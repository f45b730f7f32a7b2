import type { ResourceLimits } from "node:worker_threads";
import { PoolWorker } from "./pool-worker.js";
import type { READY_MESSAGE, TaskReplies } from "./protocol.js";

/** What a pool does when one of its threads speaks, dies or sends an unreadable reply. */
export interface WorkerEvents {
  onMessage(worker: PoolWorker, message: TaskReplies | typeof READY_MESSAGE): void;
  onExit(worker: PoolWorker, code: number): void;
  onMessageError(worker: PoolWorker, error: Error): void;
}

/** How the set starts a thread. */
export interface WorkerSpawnOptions {
  readonly moduleUrl: string;
  readonly workerData: unknown;
  readonly resourceLimits: ResourceLimits | undefined;
  /** Shared "lightly loaded" flag of the dispatch strategy (see `RuntimeConfig.light`). */
  readonly light: Int32Array;
  /** Called with the live count just before it changes (the scaler integrates thread time). */
  readonly beforeResize: (threads: number) => void;
}

/**
 * The pool's threads: the live ones that take tasks (`live`, in dispatch order) and every
 * one not yet exited, retiring ones included, so that `close()` can wait for all of them.
 * @internal
 *
 * @example
 * ```ts
 * const workers = new WorkerSet(spawnOptions, events);
 * const worker = workers.spawn();
 * workers.remove(worker); // it no longer takes tasks; `exited()` still waits for it
 * ```
 */
export class WorkerSet {
  /** Threads that take tasks, retiring ones excluded. */
  readonly live: PoolWorker[] = [];
  readonly #alive = new Set<PoolWorker>();
  readonly #options: WorkerSpawnOptions;
  readonly #events: WorkerEvents;

  constructor(options: WorkerSpawnOptions, events: WorkerEvents) {
    this.#options = options;
    this.#events = events;
  }

  /** Starts a thread (its messages wait on its port until the task module loaded). */
  spawn(): PoolWorker {
    const options = this.#options;
    options.beforeResize(this.live.length);
    const worker = new PoolWorker(options.moduleUrl, options.workerData, options.resourceLimits, options.light);
    this.live.push(worker);
    this.#alive.add(worker);
    const events = this.#events;
    worker.worker.on("message", (message: TaskReplies | typeof READY_MESSAGE) => events.onMessage(worker, message));
    worker.worker.on("error", (error) => {
      worker.lastError = error;
    });
    worker.worker.on("exit", (code) => {
      this.#alive.delete(worker);
      events.onExit(worker, code);
    });
    worker.worker.on("messageerror", (error) => events.onMessageError(worker, error));
    return worker;
  }

  /** Takes `worker` out of the live threads (it is retiring or has exited). */
  remove(worker: PoolWorker): void {
    this.#options.beforeResize(this.live.length);
    const index = this.live.indexOf(worker);
    if (index >= 0) this.live.splice(index, 1);
  }

  /** Live threads with at least one task. */
  busy(): number {
    let busy = 0;
    for (const worker of this.live) if (worker.depth > 0) busy++;
    return busy;
  }

  /** Mean event-loop utilisation of the ready threads since the previous call (0 when none). */
  eventLoopUtilisation(): number {
    let utilisation = 0;
    let counted = 0;
    for (const worker of this.live) {
      const delta = worker.eventLoopUtilisation();
      if (delta === undefined) continue;
      utilisation += delta;
      counted++;
    }
    return counted === 0 ? 0 : utilisation / counted;
  }

  /** Resolves once every thread has exited, including ones that retire while it waits. */
  async exited(): Promise<void> {
    while (this.#alive.size > 0) await Promise.all([...this.#alive].map((worker) => worker.exited));
  }
}
