// Public API of @nextgen/core/pool, listed by name (no `export *`).

// The worker pool: a task function per worker file, timeouts on execution, abort.

export type {
  CloseOptions,
  DurationPercentiles,
  RunOptions,
  ScalingOptions,
  WorkerPool,
  WorkerPoolOptions,
  WorkerPoolStats,
} from "./types.js";
export { createWorkerPool } from "./worker-pool.js";

// Scaling policies: grow on queue wait, or climb throughput.

export { queueWaitPolicy, throughputClimbingPolicy } from "./scaling-policy.js";
export type { ScalingDecision, ScalingInput, ScalingPolicy, ScalingSample } from "./scaling-types.js";

// Agents in the pool: worker-backed kinds and the pool that runs them.

export { createAgentPool } from "./agent-pool.js";
export type { AgentPool, AgentPoolOptions, AgentPoolTask } from "./agent-pool-types.js";
export { currentTraceCarrier } from "./trace-carrier.js";
export {
  type WorkerAgentKind,
  type WorkerAgentPayload,
  type WorkerKindOptions,
  workerKind,
} from "./worker-kind.js";

// WASI tools: sandboxed WebAssembly tools run in the pool.

export { wasiTool } from "./wasi/wasi-tool.js";
export { type WasiCallDetail, WasiToolError } from "./wasi/wasi-tool-error.js";
export type { WasiModuleSource, WasiPoolOptions, WasiTool, WasiToolOptions } from "./wasi/wasi-tool-types.js";
