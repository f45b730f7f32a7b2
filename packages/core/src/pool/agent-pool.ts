import { OptionsError } from "../errors/options-error.js";
import type { AgentPool, AgentPoolOptions, AgentPoolTask } from "./agent-pool-types.js";
import { poolModuleUrl } from "./pool-module-url.js";
import { resolvePoolOptions } from "./resolve-options.js";
import { createWorkerPool } from "./worker-pool.js";

let dispatchUrl: URL | undefined;

/** The agent pool's task module (imports each task's module once per thread). */
function kindDispatchUrl(): URL {
  dispatchUrl ??= poolModuleUrl("kind-dispatch");
  return dispatchUrl;
}

/**
 * Throws `OptionsError` naming `options.pool.*` for options `createAgentPool` would refuse. @internal
 *
 * @example
 * ```ts
 * validateAgentPoolOptions({ maxThreads: 0 }); // throws: options.pool.maxThreads must be …
 * ```
 */
export function validateAgentPoolOptions(options: AgentPoolOptions): void {
  try {
    resolvePoolOptions({ ...options, filename: kindDispatchUrl() });
  } catch (error) {
    // The factory's option is `pool`: name `options.pool.maxThreads`, not `options.maxThreads`.
    if (!(error instanceof OptionsError)) throw error;
    const option = error.option.replace(/^options\./, "options.pool.");
    throw new OptionsError(option, error.message.slice(error.option.length + 1), { cause: error });
  }
}

/**
 * Whether `value` is a pool from {@link createAgentPool} (its tasks name their module). @internal
 *
 * @example
 * ```ts
 * if (!isAgentPool(options.pool)) throw new Error("pass createAgentPool()");
 * ```
 */
export function isAgentPool(value: unknown): value is AgentPool {
  return (
    typeof value === "object" &&
    value !== null &&
    (value as Partial<AgentPool>).taskModule === "per-task" &&
    typeof (value as Partial<AgentPool>).run === "function"
  );
}

/**
 * Creates one pool of worker threads whose tasks each name their module (as Piscina's
 * `filename` per task): every worker-backed agent kind (`workerKind(file)`) and WASI tool
 * of a factory can share one bounded set of threads instead of one pool each. Pass it as
 * a factory's `pool` (several factories may share it; you close it), or pass only its
 * options and the factory creates and closes it. Task modules must be `.js` unless the
 * pool itself runs from sources under a test runner.
 *
 * @example
 * ```ts
 * import { createAgentPool, workerKind } from "@nextgen/core/pool";
 *
 * const pool = createAgentPool({ maxThreads: "auto", maxQueue: 1_000 });
 * const factory = createAgentFactory({
 *   source, trust, pool,
 *   kinds: { analyzer: workerKind(new URL("./analyzer.js", import.meta.url)) },
 * });
 * await (await factory.create("code/analyzer")).run({ code });
 * await factory.close();
 * await pool.close();
 * ```
 */
export function createAgentPool(options: AgentPoolOptions = {}): AgentPool {
  const pool = createWorkerPool<AgentPoolTask, unknown>({ name: "agents", ...options, filename: kindDispatchUrl() });
  return Object.assign(pool, { taskModule: "per-task" as const });
}
