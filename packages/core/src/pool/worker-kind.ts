import { Agent } from "../agent/agent.js";
import type { AgentInit, RunContext } from "../agent/agent-types.js";
import type { AgentConfig, TemplateDigest } from "../template/types.js";
import { isAgentPool } from "./agent-pool.js";
import type { AgentPool } from "./agent-pool-types.js";
import { resolvePoolOptions } from "./resolve-options.js";
import type { RunOptions, WorkerPool, WorkerPoolOptions } from "./types.js";
import { createWorkerPool } from "./worker-pool.js";

/**
 * What the worker file's default export receives for one `agent.run` attempt.
 *
 * @example
 * ```ts
 * // analyzer.js, the worker file of workerKind(new URL("./analyzer.js", import.meta.url))
 * export default function analyze({ task, agent }: WorkerAgentPayload<{ code: string }>) {
 *   return { lines: task.code.split("\n").length, model: agent.config.model };
 * }
 * ```
 */
export interface WorkerAgentPayload<Task> {
  /** The task passed to `agent.run`. */
  task: Task;
  /** Who runs it: the agent's template and attempt. */
  agent: {
    instanceId: string;
    kind: string;
    templateId: string;
    version: string;
    digest: TemplateDigest;
    /** The template's merged config (model, temperature, …). */
    config: Readonly<AgentConfig>;
    /** Tool names the template grants (tools themselves stay on the main thread). */
    tools: readonly string[];
    /** Attempt number, 1 for the first try. */
    attempt: number;
  };
}

/**
 * Options of {@link workerKind}.
 *
 * @example
 * ```ts
 * const Analyzer = workerKind(new URL("./analyzer.js", import.meta.url), { pool: { maxThreads: 2 } });
 * ```
 */
export interface WorkerKindOptions<Task = unknown, Result = unknown> {
  /**
   * The pool the kind runs on: an existing pool (the caller closes it) — a pool of this
   * kind's file, or a `createAgentPool()` pool shared with other kinds — or options for
   * a pool the kind creates on first use (`filename` is the kind's file; close it with
   * `Kind.close()`). Idle pool threads never keep the process alive. When omitted, a
   * factory with a `pool` option runs the kind on that pool (shared by all its
   * worker-backed kinds); elsewhere the kind creates its own pool with default options.
   * @default the factory's pool, else options with `maxThreads: "auto"`
   */
  pool?: WorkerPool<WorkerAgentPayload<Task>, Result> | AgentPool | Omit<WorkerPoolOptions, "filename">;
}

/**
 * A worker-backed agent kind: register it in the factory's `kinds` like any other.
 *
 * @example
 * ```ts
 * const Analyzer: WorkerAgentKind<{ code: string }, Report> = workerKind(new URL("./analyzer.js", import.meta.url));
 * console.log(Analyzer.pool.stats());
 * await Analyzer.close();
 * ```
 */
export interface WorkerAgentKind<Task, Result> {
  new (init: AgentInit): Agent<Task, Result>;
  /** The kind's pool (created on first access when the kind owns it). */
  readonly pool: WorkerPool<WorkerAgentPayload<Task>, Result>;
  /**
   * The pool the kind runs on by itself, without starting one: the pool passed in, or
   * its own once started; `undefined` before. `factory.health()` reports it as `pool:<kind>`.
   */
  readonly startedPool: WorkerPool<WorkerAgentPayload<Task>, Result> | AgentPool | undefined;
  /**
   * `true` when the kind was made without a `pool`: its agents then run on the pool their
   * factory passes them (`AgentInit.pool`), and on the kind's own pool only without one.
   */
  readonly sharesFactoryPool: boolean;
  /** Closes the pool when the kind created it; a pool passed in is left to its owner. */
  close(): Promise<void>;
}

function isPool(value: unknown): value is WorkerPool<never, unknown> {
  return typeof (value as WorkerPool | undefined)?.run === "function";
}

/**
 * Makes an agent kind whose `run(task)` executes in a worker thread: the template's
 * `config.timeoutMs` ends a stuck attempt (its worker is replaced, nothing else is
 * touched), `config.maxRetries` retries it, and the run's trace context reaches the
 * worker (`currentTraceCarrier()`). The worker file's default export receives a
 * {@link WorkerAgentPayload} and returns the result.
 *
 * @example
 * ```ts
 * const AnalyzerAgent = workerKind<{ code: string }, { lines: number }>(new URL("./analyzer.js", import.meta.url));
 * const factory = createAgentFactory({ source, trust, kinds: { analyzer: AnalyzerAgent } });
 * const agent = await factory.create("code/analyzer");
 * console.log(await agent.run({ code: "a\nb" }), AnalyzerAgent.pool.stats());
 * await AnalyzerAgent.close();
 * ```
 */
export function workerKind<Task = unknown, Result = unknown>(
  filename: string | URL,
  options: WorkerKindOptions<Task, Result> = {},
): WorkerAgentKind<Task, Result> {
  const given = options.pool;
  // Fail at the call, not at the first run, on options the pool would refuse.
  if (given !== undefined && !isPool(given)) resolvePoolOptions({ ...given, filename });
  const moduleUrl = resolvePoolOptions({ filename, minThreads: 0, maxThreads: 1 }).moduleUrl;
  // An agent pool (createAgentPool) runs many kinds: tasks must name this kind's module.
  const givenAgentPool = isAgentPool(given) ? given : undefined;
  let owned: WorkerPool<WorkerAgentPayload<Task>, Result> | undefined;
  const pool = (): WorkerPool<WorkerAgentPayload<Task>, Result> => {
    if (isPool(given)) return given as WorkerPool<WorkerAgentPayload<Task>, Result>;
    owned ??= createWorkerPool<WorkerAgentPayload<Task>, Result>({ ...given, filename });
    return owned;
  };

  class WorkerAgent extends Agent<Task, Result> {
    static get pool(): WorkerPool<WorkerAgentPayload<Task>, Result> {
      return pool();
    }

    static get startedPool(): WorkerPool<WorkerAgentPayload<Task>, Result> | AgentPool | undefined {
      return isPool(given) ? (given as WorkerPool<WorkerAgentPayload<Task>, Result>) : owned;
    }

    static readonly sharesFactoryPool: boolean = given === undefined;

    static close(): Promise<void> {
      return owned === undefined ? Promise.resolve() : owned.close();
    }

    /** The agent pool this agent's runs go to: the kind's own, else its factory's (when the kind takes it). */
    readonly #agentPool: (() => AgentPool) | undefined;

    constructor(init: AgentInit) {
      super(init);
      this.#agentPool =
        givenAgentPool !== undefined ? () => givenAgentPool : given === undefined ? init.pool : undefined;
    }

    protected execute(task: Task, context: RunContext): Promise<Result> {
      const template = context.template;
      const payload: WorkerAgentPayload<Task> = {
        task,
        agent: {
          instanceId: this.id,
          kind: this.kind,
          templateId: template.id,
          version: template.version,
          digest: template.digest,
          config: template.config,
          tools: template.tools,
          attempt: context.attempt,
        },
      };
      const runOptions: RunOptions = { signal: context.signal };
      if (context.traceCarrier !== undefined) runOptions.traceCarrier = context.traceCarrier;
      if (this.#agentPool !== undefined) {
        return this.#agentPool().run({ module: moduleUrl, payload }, runOptions) as Promise<Result>;
      }
      return pool().run(payload, runOptions);
    }
  }
  return WorkerAgent;
}
