import type { AgentRunContext } from "../diagnostics/payloads.js";
import { runInContextOf, tracing } from "../diagnostics/publish.js";
import { NextGenError } from "../errors/next-gen-error.js";
import type { ResolvedTemplate } from "../template/types.js";
import type { ToolCallAgent } from "../tools/tool-definition.js";
import type { AgentTools } from "../tools/tool-registry.js";
import type {
  AgentDelegates,
  AgentHandle,
  AgentHealth,
  AgentInit,
  AgentState,
  RunContext,
  RunOptions,
} from "./agent-types.js";
import { AttemptTools } from "./attempt-tools.js";
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
export abstract class Agent<Task = unknown, Result = unknown> implements AgentHandle<Task, Result> {
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
  /** Ends the running attempt (set while one runs). */
  #abortAttempt: ((reason: NextGenError) => void) | undefined = undefined;
  #identity: ToolCallAgent | undefined = undefined;
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
    if (this.#identity === undefined) {
      const { id: templateId, version, digest } = this.template;
      // Built once: the template is frozen, and every attempt and tool call hands it out.
      this.#identity = Object.freeze({ id: this.id, templateId, version, digest });
    }
    return this.#identity;
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

  #attempt(
    task: Task,
    attempt: number,
    signal: AbortSignal | undefined,
    trace: AgentRunContext | undefined,
  ): Promise<Result> {
    const controller = new AbortController();
    const timeoutMs = this.template.config.timeoutMs;
    return new Promise<Result>((resolve, reject) => {
      let timer: ReturnType<typeof setTimeout> | undefined;
      let onCallerAbort: (() => void) | undefined;
      // Every way an attempt ends goes through here once: the timer, the caller's listener
      // and this agent's abort hook are released, and a result that arrives later is ignored.
      const settle = (): boolean => {
        if (this.#abortAttempt !== abort) return false;
        this.#abortAttempt = undefined;
        if (timer !== undefined) clearTimeout(timer);
        if (onCallerAbort !== undefined) signal?.removeEventListener("abort", onCallerAbort);
        return true;
      };
      const abort = (reason: NextGenError): void => {
        if (!settle()) return;
        controller.abort(reason);
        reject(reason);
      };
      this.#abortAttempt = abort;
      if (signal !== undefined) {
        onCallerAbort = () => abort(agentError("NG_ERR_AGENT_ABORTED", this.id, "run was aborted.", signal.reason));
        signal.addEventListener("abort", onCallerAbort, { once: true });
      }
      if (timeoutMs !== undefined) {
        timer = setTimeout(() => {
          abort(
            agentError(
              "NG_ERR_AGENT_TIMEOUT",
              this.id,
              `attempt ${attempt} exceeded config.timeoutMs (${timeoutMs} ms).`,
            ),
          );
        }, timeoutMs);
      }
      const agent = this.identity;
      const context: RunContext = {
        signal: controller.signal,
        attempt,
        tools: new AttemptTools(this.tools, controller.signal, agent),
        agent,
        template: this.template,
        traceCarrier: trace?.traceCarrier,
        trace,
      };
      let work: Promise<Result> | Result;
      try {
        work = this.execute(task, context);
      } catch (error) {
        if (settle()) reject(error);
        return;
      }
      // Work that finishes after its attempt was aborted is ignored (the promise already settled).
      Promise.resolve(work).then(
        (value) => {
          if (settle()) resolve(value);
        },
        (error: unknown) => {
          if (settle()) reject(error);
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
    this.#abortAttempt?.(agentError("NG_ERR_AGENT_DISPOSED", this.id, "was disposed during the run."));
    this.#disposal = Promise.resolve().then(() => this.onDispose());
    return this.#disposal;
  }
}

/** Moves a freshly constructed agent from `created` to `ready`. @internal */
export function markAgentReady(agent: Agent<never, unknown>): void {
  markReady(agent);
}
