import type { Registry } from "prom-client";
import type { ServiceConfig } from "../config/service-config.js";
import type { RedisRunStore } from "../runs/redis-run-store.js";
import type { RunRegistry } from "../runs/run-registry.js";
import type { AgentRuntime } from "../runtime/agent-runtime.js";
import type { AuditRecorder } from "../runtime/audit-recorder.js";
import type { Authorizer } from "./authorize.js";

/** Health of one part of the service. */
export interface ComponentStatus {
  name: string;
  status: "healthy" | "degraded" | "unhealthy";
  reason?: string;
}

/** What the routes share (passed explicitly to each route plugin). */
export interface ServiceContext {
  readonly config: ServiceConfig;
  readonly auth: Authorizer;
  readonly audit: AuditRecorder;
  readonly runs: RunRegistry;
  /** Async runs shared through Redis (when `REDIS_URL` is set). */
  readonly sharedRuns?: RedisRunStore;
  readonly metrics: Registry;
  /** The runtime new requests use. */
  runtime(): AgentRuntime;
  /** Builds a new runtime and swaps it in (the old one closes once idle). */
  reload(
    actor: string,
    traceId: string,
  ): Promise<{ loaded: string[]; failed: { id: string; code: string; message: string }[] }>;
  /** Whether SIGTERM arrived. */
  draining(): boolean;
  /** Components for `/healthz/ready`. */
  components(): Promise<ComponentStatus[]>;
}
