// Contract of the agent pool: one pool of threads whose tasks each name their module
// (Piscina's `filename` per task). A leaf: it imports types only, from leaf files, so the
// factory's types can name a pool without loading any of the pool's runtime.
import type { WorkerPool, WorkerPoolOptions } from "./types.js";

/**
 * One task of an agent pool: the module to run and its payload.
 *
 * @example
 * ```ts
 * await agentPool.run({ module: new URL("./analyzer.js", import.meta.url).href, payload });
 * ```
 */
export interface AgentPoolTask {
  /** File URL of the task module (from `workerKind(filename)`, or a module of the pool itself). */
  module: string;
  /** What the module's default export receives. */
  payload: unknown;
}

/**
 * A pool whose threads run any task module, named per task (`createAgentPool`): every
 * worker-backed kind of a factory shares it. A factory's `pool` option takes one, or the
 * options to create one.
 *
 * @example
 * ```ts
 * const pool: AgentPool = createAgentPool({ maxThreads: "auto" });
 * const factory = createAgentFactory({ source, trust, kinds, pool });
 * ```
 */
export interface AgentPool extends WorkerPool<AgentPoolTask, unknown> {
  /**
   * Says that each task names its module (`AgentPoolTask.module`), which tells an agent
   * pool from a pool of one task module. Always `"per-task"`.
   */
  readonly taskModule: "per-task";
}

/**
 * Options of an agent pool (`createAgentPool`, or a factory's `pool` option for a pool
 * the factory creates and closes): a worker pool's options without `filename`.
 *
 * @example
 * ```ts
 * const options: AgentPoolOptions = { maxThreads: "auto", maxQueue: 1_000 };
 * createAgentFactory({ source, trust, kinds, pool: options });
 * ```
 */
export type AgentPoolOptions = Omit<WorkerPoolOptions, "filename">;
