import { OptionsError } from "../errors/options-error.js";
import { AGENT_POOL, type AgentPool, type AgentPoolOptions, BULK_VERIFY_MODULE } from "./factory-pool.js";
import { poolModuleUrl } from "./pool-worker.js";
import { resolvePoolOptions } from "./resolve-options.js";
import { createWorkerPool } from "./worker-pool.js";

let dispatchUrl: URL | undefined;

/** The agent pool's task module (imports each kind's module once per thread). */
function kindDispatchUrl(): URL {
  dispatchUrl ??= poolModuleUrl("kind-dispatch");
  return dispatchUrl;
}

/** Throws `OptionsError` naming `options.pool.*` for options `createAgentPool` would refuse. @internal */
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
 * Creates one pool of worker threads that runs every worker-backed agent kind
 * (`workerKind(file)`), so that several kinds share one bounded set of threads instead
 * of one pool each. Pass it as a factory's `pool` (several factories may share it; you
 * close it), or pass only its options and the factory creates and closes it.
 * Kind modules must be `.js` unless the pool itself runs from sources under a test runner.
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
  const pool = createWorkerPool<{ module: string; payload: unknown }, unknown>({
    name: "agents",
    ...options,
    filename: kindDispatchUrl(),
  });
  Object.defineProperty(pool, AGENT_POOL, { value: true });
  // Bulk template verification (`factory.prewarm(ids, { pool: true })`) runs through this pool.
  Object.defineProperty(pool, BULK_VERIFY_MODULE, { get: () => poolModuleUrl("verify-templates").href });
  return pool as AgentPool;
}
