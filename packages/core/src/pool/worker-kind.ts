import { Agent } from "../agent/agent.js";
import type { AgentInit, RunContext } from "../agent/agent-types.js";
import type { AgentConfig, TemplateDigest } from "../template/types.js";
import type { WorkerPool, WorkerPoolOptions } from "./types.js";
import { createWorkerPool } from "./worker-pool.js";

/** What the worker file's default export receives for one `agent.run` attempt. */
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

/** Options of {@link workerKind}. */
export interface WorkerKindOptions<Task = unknown, Result = unknown> {
  /**
   * The pool the kind runs on: an existing pool (the caller closes it), or options for
   * a pool the kind creates on first use (`filename` is the kind's file; close it with
   * `Kind.close()`). Idle pool threads never keep the process alive.
   * @default options with `maxThreads: "auto"`
   */
  pool?: WorkerPool<WorkerAgentPayload<Task>, Result> | Omit<WorkerPoolOptions, "filename">;
}

/** A worker-backed agent kind: register it in the factory's `kinds` like any other. */
export interface WorkerAgentKind<Task, Result> {
  new (init: AgentInit): Agent<Task, Result>;
  /** The kind's pool (created on first access when the kind owns it). */
  readonly pool: WorkerPool<WorkerAgentPayload<Task>, Result>;
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

    static close(): Promise<void> {
      return owned === undefined ? Promise.resolve() : owned.close();
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
      return pool().run(payload, {
        signal: context.signal,
        ...(context.traceCarrier === undefined ? {} : { traceCarrier: context.traceCarrier }),
      });
    }
  }
  return WorkerAgent;
}
