import type { AgentRunContext, TraceCarrier } from "../diagnostics/payloads.js";
import type { AgentPool } from "../pool/agent-pool-types.js";
import type { ResolvedTemplate } from "../template/types.js";
import type { ToolCallAgent } from "../tools/tool-definition.js";
import type { AgentTools } from "../tools/tool-registry.js";

/**
 * Lifecycle of an agent: `created` → `ready` (handed out by the factory) → `running` ↔
 * `idle` → `disposed`; `error` after a run that failed on every attempt (the agent can
 * run again from there).
 */
export type AgentState = "created" | "ready" | "running" | "idle" | "error" | "disposed";

/** What an agent kind's constructor receives from the factory. */
export interface AgentInit {
  /** The resolved template, deeply frozen and shared by every instance created from it. */
  readonly template: ResolvedTemplate;
  /** The tools the template grants, bound once per template. */
  readonly tools: AgentTools;
  /** Kind name the agent was created as. */
  readonly kind: string;
  /** Unique id of this instance (cheap: a per-factory prefix and a counter). */
  readonly instanceId: string;
  /** The sub-agents the template lets this agent create (none when absent). */
  readonly agents?: AgentDelegates | undefined;
  /**
   * The factory's agent pool (its `pool` option), started on the first call when the
   * factory owns it; absent when the factory has none. Worker-backed kinds made without a
   * `pool` run on it.
   */
  readonly pool?: (() => AgentPool) | undefined;
}

/**
 * The delegations one agent may make: exactly the template ids its signed template lists
 * in `agents`, each created through the same factory (so verified like any other).
 */
export interface AgentDelegates {
  /** Template ids the template lists in `agents`, in order. */
  readonly ids: readonly string[];
  /** 0 for an agent the host created, 1 for its sub-agents, and so on. */
  readonly depth: number;
  /**
   * Creates a sub-agent from template `id`. Rejects with `NG_ERR_AGENT_DELEGATION_DENIED`
   * when the template does not list `id`, and `NG_ERR_AGENT_DELEGATION_TOO_DEEP` past the
   * depth limit or when `id` is already on the delegation chain (a cycle).
   */
  create(id: string, options?: { signal?: AbortSignal | undefined }): Promise<AgentHandle<never, unknown>>;
}

/**
 * The public face of a running agent, as a contract: what the `Agent` base class offers
 * callers (a sub-agent from {@link AgentDelegates.create} is one). Kinds extend `Agent`;
 * code that only runs agents can depend on this type alone.
 *
 * @example
 * ```ts
 * async function ask(agent: AgentHandle<string, string>, task: string): Promise<string> {
 *   try {
 *     return await agent.run(task, { signal: AbortSignal.timeout(5_000) });
 *   } finally {
 *     await agent.dispose();
 *   }
 * }
 * ```
 */
export interface AgentHandle<Task = unknown, Result = unknown> {
  /** Unique id of this instance. */
  readonly id: string;
  /** The resolved template (frozen, shared with every instance created from it). */
  readonly template: ResolvedTemplate;
  /** Kind name the agent was created as. */
  readonly kind: string;
  /** The tools the template grants. */
  readonly tools: AgentTools;
  /** The sub-agents the template lets this agent create. */
  readonly agents: AgentDelegates;
  /** This instance and its template, as handed to tools. */
  readonly identity: ToolCallAgent;
  /** Current lifecycle state. */
  readonly state: AgentState;
  /** Runs `task` under the template's timeout and retries and the caller's signal. */
  run(task: Task, options?: RunOptions): Promise<Result>;
  /** The agent's health: its state, run counts and last failure. */
  health(): AgentHealth;
  /** Aborts a running task and releases resources. Idempotent. */
  dispose(): Promise<void>;
}

/** Options of `agent.run`. */
export interface RunOptions {
  /** Aborts the run (`NG_ERR_AGENT_ABORTED`); the current attempt's signal is aborted too. */
  signal?: AbortSignal | undefined;
}

/** What `execute` receives for one attempt. */
export interface RunContext {
  /** Aborted on the attempt's timeout, the caller's abort, or `dispose()`. Honour it. */
  readonly signal: AbortSignal;
  /** Attempt number, 1 for the first try. */
  readonly attempt: number;
  /** The tools the template grants (and only those); calls carry this attempt's signal and the agent by default. */
  readonly tools: AgentTools;
  /** Who is running: handed to every tool this attempt calls. */
  readonly agent: ToolCallAgent;
  /** The agent's resolved template. */
  readonly template: ResolvedTemplate;
  /** Trace context to hand to work leaving the thread (set when `nextgen:agent.run` is traced). */
  readonly traceCarrier: TraceCarrier | undefined;
  /**
   * The `nextgen:agent.run` payload when the run is traced (`undefined` otherwise): a kind
   * that runs a model sets `inputTokens` and `outputTokens` on it for the `invoke_agent` span.
   */
  readonly trace: AgentRunContext | undefined;
}

/** An agent's own view of its health. */
export interface AgentHealth {
  /** `healthy` when usable, `degraded` after a failed run, `unhealthy` once disposed. */
  status: "healthy" | "degraded" | "unhealthy";
  /** Lifecycle state. */
  state: AgentState;
  /** Runs completed successfully. */
  runs: number;
  /** Runs that failed (after all attempts). */
  failures: number;
  /** Code (or message) of the last failure, if the last run failed. */
  reason?: string;
}
