import { randomUUID } from "node:crypto";
import { type Clock, errorCode, wallClock } from "@nextgen/core";

/** Where a run stands. */
export type RunStatus = "running" | "succeeded" | "failed" | "cancelled";

/** What `GET /v1/runs/{runId}` shows. */
export interface RunRecord {
  runId: string;
  templateId: string;
  version: string | null;
  digest: string | null;
  status: RunStatus;
  createdAt: string;
  finishedAt: string | null;
  result?: unknown;
  error?: { code: string; detail: string };
}

interface Entry {
  record: RunRecord;
  controller: AbortController;
}

/** How {@link RunRegistry.start} keeps a run once it ends. */
export interface RunStartOptions {
  /**
   * `true` (background runs): the finished run stays for `retainMs` (at most `maxFinished`
   * of them), result included, for `GET /v1/runs/{runId}`. `false` (synchronous and streamed
   * runs, whose own response carries the result): it stays only `answeredRetainMs` (at most
   * `maxAnswered`), so a busy service does not hold thousands of results nobody will ask for
   * (they made every garbage collection slower) while a client can still look its run up.
   * @default true
   */
  retainFinished?: boolean;
}

/** How long {@link RunRegistry} keeps finished runs. */
export interface RunRegistryOptions {
  /** How long a finished background run stays, in milliseconds. @default 900000 (15 min) */
  retainMs: number;
  /** Most finished background runs kept (the oldest go first). @default 10000 */
  maxFinished: number;
  /** How long a finished synchronous or streamed run stays, in milliseconds. @default 60000 */
  answeredRetainMs?: number;
  /** Most finished synchronous or streamed runs kept (the oldest go first). @default 1000 */
  maxAnswered?: number;
  /** The wall clock (ms since the Unix epoch) for `createdAt`, `finishedAt` and retention. */
  clock: Clock;
}

/** Finished runs of one kind, oldest first, dropped past an age or a count. */
interface FinishedQueue {
  /** Run ids with their finishing time (ms since the epoch), oldest first. */
  readonly entries: { runId: string; finishedMs: number }[];
  readonly retainMs: number;
  readonly max: number;
}

/**
 * The runs of this instance: in flight (cancellable) and recently finished, so that clients
 * can fetch results: background runs for `retainMs` (at most `maxFinished`), synchronous and
 * streamed ones, whose response already carried the result, for `answeredRetainMs` (at most
 * `maxAnswered`). `idle()` resolves when nothing runs (graceful shutdown waits on it).
 *
 * @example
 * ```ts
 * const runs = new RunRegistry();
 * const { record, outcome } = runs.start("security/auditor", (signal) => agent.run(input, { signal }), {
 *   retainFinished: false,
 * });
 * ```
 */
export class RunRegistry {
  readonly #runs = new Map<string, Entry>();
  readonly #background: FinishedQueue;
  readonly #answered: FinishedQueue;
  #running = 0;
  #idle: { promise: Promise<void>; resolve: () => void } | undefined;

  constructor(
    private readonly options: RunRegistryOptions = { retainMs: 15 * 60_000, maxFinished: 10_000, clock: wallClock },
  ) {
    this.#background = { entries: [], retainMs: options.retainMs, max: options.maxFinished };
    this.#answered = {
      entries: [],
      retainMs: options.answeredRetainMs ?? 60_000,
      max: options.maxAnswered ?? 1_000,
    };
  }

  /** Runs currently in flight. */
  get running(): number {
    return this.#running;
  }

  /**
   * Registers a run and starts `work` with its abort signal. The returned promise settles
   * like the work; the record follows it.
   */
  start<T>(
    templateId: string,
    work: (signal: AbortSignal, record: RunRecord) => Promise<T>,
    options: RunStartOptions = {},
  ): { record: RunRecord; outcome: Promise<T> } {
    const retain = options.retainFinished ?? true;
    const controller = new AbortController();
    const record: RunRecord = {
      runId: randomUUID(),
      templateId,
      version: null,
      digest: null,
      status: "running",
      createdAt: new Date(this.options.clock.now()).toISOString(),
      finishedAt: null,
    };
    this.#running++;
    // Registered before the work starts, so a DELETE can find it from the first await on.
    this.#runs.set(record.runId, { record, controller });
    let outcome: Promise<T>;
    try {
      outcome = work(controller.signal, record);
    } catch (error) {
      outcome = Promise.reject(error);
    }
    outcome.then(
      (result) => this.#finish(record, retain, controller.signal.aborted ? "cancelled" : "succeeded", result),
      (error: unknown) => {
        this.#finish(record, retain, controller.signal.aborted ? "cancelled" : "failed", undefined, {
          code: errorCode(error),
          detail: error instanceof Error ? error.message : String(error),
        });
      },
    );
    return { record, outcome };
  }

  /** The run's record, if this instance knows it. */
  get(runId: string): RunRecord | undefined {
    this.#evict();
    return this.#runs.get(runId)?.record;
  }

  /** Cancels a running run; `false` when it is unknown. A finished run stays as it was. */
  cancel(runId: string, reason: string): boolean {
    const entry = this.#runs.get(runId);
    if (!entry) return false;
    if (entry.record.status === "running") entry.controller.abort(new Error(reason));
    return true;
  }

  /** Resolves when no run is in flight. */
  idle(): Promise<void> {
    if (this.#running === 0) return Promise.resolve();
    if (!this.#idle) {
      let resolve!: () => void;
      const promise = new Promise<void>((settle) => {
        resolve = settle;
      });
      this.#idle = { promise, resolve };
    }
    return this.#idle.promise;
  }

  #finish(record: RunRecord, retain: boolean, status: RunStatus, result: unknown, error?: RunRecord["error"]): void {
    const finishedMs = this.options.clock.now();
    record.status = status;
    record.finishedAt = new Date(finishedMs).toISOString();
    if (status === "succeeded") record.result = result;
    if (error) record.error = error;
    // The finishing time kept as a number: eviction compares it on every finish (no date parsing).
    (retain ? this.#background : this.#answered).entries.push({ runId: record.runId, finishedMs });
    this.#running--;
    if (this.#running === 0 && this.#idle) {
      this.#idle.resolve();
      this.#idle = undefined;
    }
    this.#evict();
  }

  #evict(): void {
    this.#evictFrom(this.#background);
    this.#evictFrom(this.#answered);
  }

  #evictFrom(queue: FinishedQueue): void {
    const oldest = this.options.clock.now() - queue.retainMs;
    const { entries } = queue;
    while (entries.length > 0) {
      const { runId, finishedMs } = entries[0]!;
      if (finishedMs >= oldest && entries.length <= queue.max) break;
      entries.shift();
      this.#runs.delete(runId);
    }
  }
}
