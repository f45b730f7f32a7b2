import type { AgentRunContext } from "../diagnostics/payloads.js";
import { runInContextOf, tracing } from "../diagnostics/publish.js";
import { NextGenError } from "../errors/next-gen-error.js";
import type { ResolvedTemplate } from "../template/types.js";
import type { ToolCallAgent } from "../tools/tool-definition.js";
import type { AgentTools, ToolCallOptions } from "../tools/tool-registry.js";
import type { AgentDelegates, AgentHealth, AgentInit, AgentState, RunContext, RunOptions } from "./agent-types.js";
import { agentError, isFinal } from "./run-errors.js";

let markReady: (agent: Agent<never, unknown>) => void;

const NO_DELEGATES: AgentDelegates = Object.freeze({
  ids: Object.freeze([]),
  depth: 0,
  create: (id: string): Promise<never> =>
    Promise.reject(
      new NextGenError(
        "NG_ERR_AGENT_DELEGATION_DENIED",
        `Cannot delegate to "${id}": this agent may delegate to none.`,
      ),
    ),
});

/**
 * Base class of every agent kind. Subclasses implement {@link Agent.execute}; `run` adds
 * the lifecycle, `config.timeoutMs` per attempt, `config.maxRetries`, the caller's
 * `AbortSignal` and tracing around it. The constructor only stores references (the
 * factory's hot path): the template is shared and frozen, never cloned.
 *
 * @example
 * ```ts
 * class SpecialistAgent extends Agent<{ code: string }, string[]> {
 *   protected async execute(task: { code: string }, context: RunContext): Promise<string[]> {
 *     return (await context.tools.call("secret-scan", task.code, context)) as string[];
 *   }
 * }
 * ```
 */
export abstract class Agent<Task = unknown, Result = unknown> {
  /** Unique id of this instance. */
  readonly id: string;
  /** The resolved template (frozen, shared with every instance created from it). */
  readonly template: ResolvedTemplate;
  /** Kind name the agent was created as. */
  readonly kind: string;
  /** The tools the template grants. */
  readonly tools: AgentTools;
  /** The sub-agents the template lets this agent create (`template.agents`). */
  readonly agents: AgentDelegates;
  #state: AgentState = "created";
  #controller: AbortController | undefined = undefined;
  #disposal: Promise<void> | undefined = undefined;
  #runs = 0;
  #failures = 0;
  #lastFailure: string | undefined = undefined;

  static {
    markReady = (agent) => {
      if (agent.#state === "created") agent.#state = "ready";
    };
  }

  constructor(init: AgentInit) {
    this.id = init.instanceId;
    this.template = init.template;
    this.kind = init.kind;
    this.tools = init.tools;
    this.agents = init.agents ?? NO_DELEGATES;
  }

  /** This instance and its template, as handed to tools. */
  get identity(): ToolCallAgent {
    const { id: templateId, version, digest } = this.template;
    return { id: this.id, templateId, version, digest };
  }

  /** Current lifecycle state. */
  get state(): AgentState {
    return this.#state;
  }

  /** Does the work of one attempt. Honour `context.signal`; throw to fail the attempt. */
  protected abstract execute(task: Task, context: RunContext): Promise<Result> | Result;

  /** Releases the subclass's resources; called once by `dispose()`. */
  protected onDispose(): Promise<void> | void {}

  /**
   * Runs `task`: each attempt is limited to `config.timeoutMs` and failures are retried
   * up to `config.maxRetries` times. Rejects with `NG_ERR_AGENT_TIMEOUT` (every attempt
   * timed out last), `NG_ERR_AGENT_RUN_FAILED` (cause: the last failure),
   * `NG_ERR_AGENT_ABORTED`, `NG_ERR_AGENT_BUSY` (one run at a time) or `NG_ERR_AGENT_DISPOSED`.
   */
  run(task: Task, options?: RunOptions): Promise<Result> {
    if (this.#state === "disposed") return Promise.reject(agentError("NG_ERR_AGENT_DISPOSED", this.id, "is disposed."));
    if (this.#state === "running") {
      return Promise.reject(agentError("NG_ERR_AGENT_BUSY", this.id, "is already running a task; run one at a time."));
    }
    const signal = options?.signal;
    if (signal?.aborted) {
      return Promise.reject(agentError("NG_ERR_AGENT_ABORTED", this.id, "run was aborted.", signal.reason));
    }
    this.#state = "running";
    const channel = tracing.agentRun;
    if (!channel.hasSubscribers) return this.#runAttempts(task, signal, undefined);
    const template = this.template;
    const context: AgentRunContext = {
      instanceId: this.id,
      templateId: template.id,
      agentName: template.name,
      version: template.version,
      kind: this.kind,
      digest: template.digest,
      attempts: 0,
      ...(template.config.model === undefined ? {} : { model: template.config.model }),
    };
    return channel.tracePromise(() => runInContextOf(context, () => this.#runAttempts(task, signal, context)), context);
  }

  async #runAttempts(task: Task, signal: AbortSignal | undefined, trace: AgentRunContext | undefined): Promise<Result> {
    const maxRetries = this.template.config.maxRetries ?? 0;
    let lastError: unknown;
    for (let attempt = 1; attempt <= maxRetries + 1; attempt++) {
      if (trace) trace.attempts = attempt;
      try {
        const result = await this.#attempt(task, attempt, signal, trace);
        this.#settle("idle", undefined);
        return result;
      } catch (error) {
        lastError = error;
        if (isFinal(error) || this.#state === "disposed") break;
      }
    }
    const failure =
      isFinal(lastError) || NextGenError.is(lastError, "NG_ERR_AGENT_TIMEOUT")
        ? (lastError as NextGenError)
        : new NextGenError(
            "NG_ERR_AGENT_RUN_FAILED",
            `Agent ${this.id} (${this.template.id}) failed on all ${maxRetries + 1} attempt(s): ${(lastError as Error)?.message ?? String(lastError)}`,
            { cause: lastError },
          );
    this.#settle("error", failure);
    throw failure;
  }

  #settle(state: "idle" | "error", failure: NextGenError | undefined): void {
    if (failure) {
      this.#failures++;
      this.#lastFailure = failure.code;
    } else {
      this.#runs++;
      this.#lastFailure = undefined;
    }
    if (this.#state !== "disposed") this.#state = state;
  }

  #attempt(task: Task, attempt: number, signal: AbortSignal | undefined, trace: AgentRunContext | undefined) {
    const controller = new AbortController();
    this.#controller = controller;
    const timeoutMs = this.template.config.timeoutMs;
    return new Promise<Result>((resolve, reject) => {
      let timer: ReturnType<typeof setTimeout> | undefined;
      const onCallerAbort = (): void => {
        controller.abort(agentError("NG_ERR_AGENT_ABORTED", this.id, "run was aborted.", signal?.reason));
      };
      const cleanUp = (): void => {
        if (timer !== undefined) clearTimeout(timer);
        signal?.removeEventListener("abort", onCallerAbort);
        if (this.#controller === controller) this.#controller = undefined;
      };
      controller.signal.addEventListener("abort", () => {
        cleanUp();
        reject(controller.signal.reason);
      });
      signal?.addEventListener("abort", onCallerAbort, { once: true });
      if (timeoutMs !== undefined) {
        timer = setTimeout(() => {
          const detail = `attempt ${attempt} exceeded config.timeoutMs (${timeoutMs} ms).`;
          controller.abort(agentError("NG_ERR_AGENT_TIMEOUT", this.id, detail));
        }, timeoutMs);
      }
      const agent = this.identity;
      const context: RunContext = {
        signal: controller.signal,
        attempt,
        tools: attemptTools(this.tools, controller.signal, agent),
        agent,
        template: this.template,
        traceCarrier: trace?.traceCarrier,
        trace,
      };
      // Work that finishes after its attempt was aborted is ignored (the promise already settled).
      new Promise<Result>((inner) => inner(this.execute(task, context))).then(
        (value) => {
          if (controller.signal.aborted) return;
          cleanUp();
          resolve(value);
        },
        (error: unknown) => {
          if (controller.signal.aborted) return;
          cleanUp();
          reject(error);
        },
      );
    });
  }

  /** The agent's health: its state, run counts and last failure. */
  health(): AgentHealth {
    const state = this.#state;
    const status = state === "disposed" ? "unhealthy" : state === "error" ? "degraded" : "healthy";
    const report: AgentHealth = { status, state, runs: this.#runs, failures: this.#failures };
    if (this.#lastFailure !== undefined) report.reason = this.#lastFailure;
    return report;
  }

  /** Aborts a running task (`NG_ERR_AGENT_DISPOSED`) and releases resources. Idempotent. */
  dispose(): Promise<void> {
    if (this.#disposal) return this.#disposal;
    this.#state = "disposed";
    this.#controller?.abort(agentError("NG_ERR_AGENT_DISPOSED", this.id, "was disposed during the run."));
    this.#disposal = Promise.resolve().then(() => this.onDispose());
    return this.#disposal;
  }
}

/** The agent's tools with this attempt's signal and identity filled in when the caller passes none. */
function attemptTools(tools: AgentTools, signal: AbortSignal, agent: ToolCallAgent): AgentTools {
  return {
    names: tools.names,
    has: (name) => tools.has(name),
    definition: (name) => tools.definition(name),
    call: (name: string, input: unknown, options?: ToolCallOptions) =>
      tools.call(name, input, { signal: options?.signal ?? signal, agent: options?.agent ?? agent }),
  };
}

/** Moves a freshly constructed agent from `created` to `ready`. @internal */
export function markAgentReady(agent: Agent<never, unknown>): void {
  markReady(agent);
}
