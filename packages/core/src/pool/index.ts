// Public API of @nextgen/core/pool, listed by name.
export { createAgentPool } from "./agent-pool.js";
export type { AgentPool, AgentPoolOptions, AgentPoolTask } from "./agent-pool-types.js";
export { queueWaitPolicy, throughputClimbingPolicy } from "./scaling-policy.js";
export type { ScalingDecision, ScalingInput, ScalingPolicy, ScalingSample } from "./scaling-types.js";
export { currentTraceCarrier } from "./trace-carrier.js";
export type {
  CloseOptions,
  DurationPercentiles,
  RunOptions,
  ScalingOptions,
  WorkerPool,
  WorkerPoolOptions,
  WorkerPoolStats,
} from "./types.js";
export { wasiTool } from "./wasi/wasi-tool.js";
export { type WasiCallDetail, WasiToolError } from "./wasi/wasi-tool-error.js";
export type { WasiModuleSource, WasiPoolOptions, WasiTool, WasiToolOptions } from "./wasi/wasi-tool-types.js";
export {
  type WorkerAgentKind,
  type WorkerAgentPayload,
  type WorkerKindOptions,
  workerKind,
} from "./worker-kind.js";
export { createWorkerPool } from "./worker-pool.js";
