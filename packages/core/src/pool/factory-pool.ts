// The factory's side of the pool: structural types and symbols only. `@nextgen/core`'s
// main entry imports this file, so it must not import the pool's runtime (worker-pool,
// worker threads): a host without worker-backed kinds pays nothing for the pool.
import { OptionsError } from "../errors/options-error.js";
import type { AgentKind, ComponentHealth, HealthProbe } from "../factory/factory-types.js";
import type { WorkerPool, WorkerPoolOptions } from "./types.js";

/**
 * One task of an agent pool: the worker-backed kind's module and its payload.
 *
 * @example
 * ```ts
 * await agentPool.run({ module: new URL("./analyzer.js", import.meta.url).href, payload });
 * ```
 */
export interface AgentPoolTask {
  /** File URL of the kind's task module (from `workerKind(filename)`). */
  module: string;
  /** What the module's default export receives. */
  payload: unknown;
}

/**
 * Marks a pool made by `createAgentPool` (it runs any worker-backed kind).
 *
 * @example
 * ```ts
 * const isAgentPool = (pool: object) => AGENT_POOL in pool;
 * ```
 */
export const AGENT_POOL: unique symbol = Symbol.for("nextgen.pool.agentPool") as never;

/**
 * A pool whose threads run every worker-backed kind (`createAgentPool`); a factory's
 * `pool` option takes one, or the options to create one.
 *
 * @example
 * ```ts
 * const pool: AgentPool = createAgentPool({ maxThreads: "auto" });
 * const factory = createAgentFactory({ source, trust, kinds, pool });
 * ```
 */
export interface AgentPool extends WorkerPool<AgentPoolTask, unknown> {
  /** Brand: set by `createAgentPool`. */
  readonly [AGENT_POOL]: true;
}

/**
 * Options of a pool the factory creates and closes: a worker pool's options without `filename`.
 *
 * @example
 * ```ts
 * const options: AgentPoolOptions = { maxThreads: "auto", maxQueue: 1_000 };
 * createAgentFactory({ source, trust, kinds, pool: options });
 * ```
 */
export type AgentPoolOptions = Omit<WorkerPoolOptions, "filename">;

/**
 * File URL of the pool-side bulk verification module (`verify-templates`), set on every
 * pool by `createAgentPool` (so the factory's entry never imports the pool's runtime). @internal
 */
export const BULK_VERIFY_MODULE: unique symbol = Symbol.for("nextgen.pool.bulkVerifyModule") as never;

/** Static member of a worker-backed kind that did not bring its own pool. @internal */
export const WORKER_KIND_BINDING: unique symbol = Symbol.for("nextgen.pool.workerKindBinding") as never;

/**
 * Static member of every worker-backed kind: the pool it runs on by itself, once
 * started (its own, or one passed to `workerKind`), so `factory.health()` can report it.
 * @internal
 */
export const WORKER_KIND_POOL: unique symbol = Symbol.for("nextgen.pool.workerKindPool") as never;

/** How the factory hands its pool to a worker-backed kind. @internal */
export interface WorkerKindBinding {
  /** Throws `OptionsError` (naming `options.pool.*`) for options a pool would refuse. */
  validate(options: AgentPoolOptions): void;
  /** Creates the pool a factory owns. */
  createPool(options: AgentPoolOptions): AgentPool;
  /** A subclass of the kind whose runs go to `pool()`. */
  bind(pool: () => AgentPool): AgentKind;
}

const isAgentPool = (value: unknown): value is AgentPool =>
  typeof value === "object" && value !== null && (value as Partial<AgentPool>)[AGENT_POOL] === true;

function bindingOf(kind: AgentKind): WorkerKindBinding | undefined {
  return (kind as AgentKind & { [WORKER_KIND_BINDING]?: WorkerKindBinding })[WORKER_KIND_BINDING];
}

/** Inputs of {@link attachFactoryPool}. @internal */
export interface FactoryPoolParts {
  readonly option: AgentPool | AgentPoolOptions | undefined;
  /** The factory's own copy of its kinds: worker-backed ones are replaced by bound subclasses. */
  readonly kinds: Record<string, AgentKind>;
  readonly probes: HealthProbe[];
  readonly closers: (() => Promise<void> | void)[];
}

/**
 * Gives the factory's worker-backed kinds (those created without their own `pool`) the
 * factory's pool, reports it in `factory.health()`, and closes it with the factory when
 * the factory created it. A pool passed in is left to its owner. Returns the pool for
 * the factory's own tasks (undefined when it has none). @internal
 */
export function attachFactoryPool({ option, kinds, probes, closers }: FactoryPoolParts): () => AgentPool | undefined {
  // Kinds that keep a pool of their own (they brought one, or the factory has none) are
  // reported too: a saturated pool must show in health whoever created it.
  const reported = new Set<AgentKind>();
  for (const [name, kind] of Object.entries(kinds)) {
    if (!(WORKER_KIND_POOL in kind) || reported.has(kind)) continue;
    const keepsOwnPool = option === undefined || bindingOf(kind) === undefined;
    if (!keepsOwnPool) continue;
    reported.add(kind);
    probes.push(
      poolProbe(
        () => (kind as AgentKind & { readonly [WORKER_KIND_POOL]?: WorkerPool<never, unknown> })[WORKER_KIND_POOL],
        `pool:${name}`,
      ),
    );
  }
  if (option === undefined) return () => undefined;
  if (typeof option !== "object" || option === null || Array.isArray(option)) {
    throw new OptionsError("options.pool", "must be a pool from createAgentPool() or its options.");
  }
  const given = isAgentPool(option) ? option : undefined;
  if (given === undefined && typeof (option as { run?: unknown }).run === "function") {
    throw new OptionsError(
      "options.pool",
      "is a pool of one task module; pass createAgentPool(options) (it runs every worker-backed kind) or its options.",
    );
  }
  let owned: AgentPool | undefined;
  let create: (() => AgentPool) | undefined;
  for (const [name, kind] of Object.entries(kinds)) {
    const binding = bindingOf(kind);
    if (binding === undefined) continue;
    if (given === undefined && create === undefined) {
      const options = option as AgentPoolOptions;
      binding.validate(options);
      create = () => binding.createPool(options);
    }
    kinds[name] = binding.bind(() => {
      if (given !== undefined) return given;
      owned ??= (create as () => AgentPool)();
      return owned;
    });
  }
  probes.push(poolProbe(() => given ?? owned));
  if (given === undefined) closers.push(() => owned?.close());
  // The pool for the factory's own tasks (bulk verification in `prewarm`), created on demand.
  return () => {
    if (given !== undefined) return given;
    if (create !== undefined) owned ??= create();
    return owned;
  };
}

/** Queue fill (fraction of `maxQueue`) from which the pool reports itself saturated. */
const SATURATED_QUEUE = 0.8;

/** `factory.health()`'s pool component. @internal */
export function poolProbe(current: () => WorkerPool<never, unknown> | undefined, name = "pool"): HealthProbe {
  let crashesSeen = 0;
  return (): ComponentHealth => {
    const pool = current();
    if (pool === undefined) return { name, status: "healthy", detail: { started: false } };
    const stats = pool.stats();
    const detail: Record<string, unknown> = {
      name: stats.name,
      threads: stats.threads,
      maxThreads: stats.maxThreads,
      busy: stats.busy,
      queued: stats.queued,
      completed: stats.completed,
      failed: stats.failed,
      crashed: stats.crashed,
      utilisation: stats.utilisation,
      waitMsP95: stats.waitMs.p95,
    };
    if (Number.isFinite(stats.maxQueue)) detail.maxQueue = stats.maxQueue;
    if (stats.closed) return { name, status: "unhealthy", reason: "the pool is closed", detail };
    const reasons: string[] = [];
    if (Number.isFinite(stats.maxQueue) && stats.queued >= Math.max(1, stats.maxQueue * SATURATED_QUEUE)) {
      reasons.push(`queue saturated: ${stats.queued} of ${stats.maxQueue} tasks waiting`);
    } else if (stats.threads >= stats.maxThreads && stats.busy >= stats.threads && stats.queued > stats.threads) {
      reasons.push(`saturated: all ${stats.threads} threads busy and ${stats.queued} tasks waiting`);
    }
    // Crashes since the previous check: a pool that crashed once an hour ago is healthy now.
    const newCrashes = stats.crashed - crashesSeen;
    crashesSeen = stats.crashed;
    if (newCrashes > 0) reasons.push(`${newCrashes} task(s) lost to worker crashes since the last check`);
    if (reasons.length === 0) return { name, status: "healthy", detail };
    return { name, status: "degraded", reason: reasons.join("; "), detail };
  };
}
