import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import type { EventLoopUtilization } from "node:perf_hooks";
import { pathToFileURL } from "node:url";
import { type TransferListItem, Worker } from "node:worker_threads";
import { OptionsError } from "../errors/options-error.js";
import { poolModuleUrl, typeScriptFile } from "./pool-module-url.js";
import type { PoolTask } from "./pool-task.js";
import type { RuntimeConfig } from "./protocol.js";

const here = import.meta.url;
let runtimeUrl: URL | undefined;

/** The worker entry file: `.ts` beside the sources under a test runner, `.js` in `dist`. */
function workerRuntimeUrl(): URL {
  runtimeUrl ??= poolModuleUrl("worker-runtime");
  return runtimeUrl;
}

let tsxApiUrl: string | undefined;

/** Where tsx's ESM registration API lives (a dev dependency, only needed for `.ts` files). */
function resolveTsxApi(): string {
  if (tsxApiUrl !== undefined) return tsxApiUrl;
  const require = createRequire(here);
  const manifestPath = require.resolve("tsx/package.json");
  const manifest = JSON.parse(readFileSync(manifestPath, "utf8")) as {
    exports?: Record<string, { import?: { default?: string } | string }>;
  };
  const entry = manifest.exports?.["./esm/api"];
  const relative =
    typeof entry?.import === "string" ? entry.import : (entry?.import?.default ?? "./dist/esm/api/index.mjs");
  tsxApiUrl = pathToFileURL(join(dirname(manifestPath), relative)).href;
  return tsxApiUrl;
}

/**
 * The Worker entry. Node 20 cannot load `.ts`, and `--import tsx` in `execArgv` does not
 * reach a worker's entry module, so for TypeScript a tiny bootstrap registers tsx's
 * hooks in the thread first, then imports the runtime.
 */
function workerEntry(moduleUrl: string): { entry: URL | string; eval: boolean } {
  const runtime = workerRuntimeUrl();
  if (!typeScriptFile.test(moduleUrl) && !typeScriptFile.test(runtime.href)) return { entry: runtime, eval: false };
  const code =
    `import(${JSON.stringify(resolveTsxApi())})` +
    `.then((tsx) => { tsx.register(); return import(${JSON.stringify(runtime.href)}); });`;
  return { entry: code, eval: true };
}

/**
 * Throws at pool construction, rather than at the first task, when a TypeScript task
 * module cannot be loaded because tsx is missing.
 */
export function assertLoadable(moduleUrl: string): void {
  if (!typeScriptFile.test(moduleUrl) && !typeScriptFile.test(here)) return;
  try {
    resolveTsxApi();
  } catch (error) {
    throw new OptionsError(
      "options.filename",
      "is a TypeScript file: install tsx (a dev dependency) to run it in workers, or point at the built .js",
      { cause: error },
    );
  }
}

/** One thread of the pool and what the pool knows about it. */
export class PoolWorker {
  readonly worker: Worker;
  readonly threadId: number;
  /** Tasks sent and not yet answered, in the order the worker runs them. */
  readonly inflight: PoolTask[] = [];
  /** The task module has loaded (execution timeouts start from here). */
  ready = false;
  /** Runs a task that must not have others pipelined behind it. */
  exclusive = false;
  /** The pool terminated it on purpose (shrink, abort, timeout, close). */
  retiring = false;
  /** The last `error` event, reported as the cause of a crash. */
  lastError: unknown = undefined;
  /** Resolves once the thread has exited. */
  readonly exited: Promise<void>;
  /** How many tasks the worker has started (written by the worker, see `RuntimeConfig`). */
  readonly progress: Int32Array = new Int32Array(new SharedArrayBuffer(4));
  /** Bumped after each post: see `RuntimeConfig.doorbell`. */
  readonly doorbell: Int32Array = new Int32Array(new SharedArrayBuffer(4));
  /** How many tasks the worker has answered. */
  answered = 0;
  /** Tasks assigned but not yet posted: flat `[id, payload, carrier, …]`, sent in one message. */
  outbox: unknown[] = [];
  /** Tasks of `outbox`, for error handling. */
  outboxTasks: PoolTask[] = [];
  /** Transfer list of `outbox`. */
  outboxTransfers: TransferListItem[] | undefined = undefined;
  /** Baseline for event-loop utilisation deltas. */
  eventLoopBaseline: EventLoopUtilization | undefined = undefined;
  #markExited!: () => void;

  constructor(
    moduleUrl: string,
    userData: unknown,
    resourceLimits: Worker["resourceLimits"] | undefined,
    light: Int32Array,
  ) {
    const { entry, eval: isCode } = workerEntry(moduleUrl);
    const config: RuntimeConfig = { moduleUrl, userData, progress: this.progress, doorbell: this.doorbell, light };
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

  /**
   * After a crash: the tasks in flight that had started (the one running, and any that
   * finished but whose answer was lost), and those that never started.
   */
  splitInflight(): { started: PoolTask[]; untouched: PoolTask[] } {
    const tasks = this.inflight.splice(0);
    if (!this.ready) return { started: tasks.slice(0, 1), untouched: tasks.slice(1) };
    const startedCount = Math.max(0, Atomics.load(this.progress, 0) - this.answered);
    return { started: tasks.slice(0, startedCount), untouched: tasks.slice(startedCount) };
  }

  /** Posts tasks and rings the doorbell, for a worker that polls for work. */
  post(message: unknown[], transferList: readonly TransferListItem[] | undefined): void {
    this.worker.postMessage(message, transferList);
    Atomics.add(this.doorbell, 0, 1);
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
