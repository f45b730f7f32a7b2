// The factory's side of the pool: which pool a factory's worker-backed kinds run on, and
// how `factory.health()` reports it. The factory passes the pool to its agents explicitly
// (`AgentInit.pool`); nothing is attached to the kinds themselves.

import { OptionsError } from "../errors/options-error.js";
import type { AgentKind, ComponentHealth, HealthProbe } from "../factory/factory-types.js";
import { createAgentPool, isAgentPool, validateAgentPoolOptions } from "./agent-pool.js";
import type { AgentPool, AgentPoolOptions } from "./agent-pool-types.js";
import type { WorkerPool } from "./types.js";

/**
 * What a worker-backed kind (`workerKind`) shows the factory, read structurally: the pool
 * it runs on by itself and whether it takes the factory's pool. @internal
 */
interface PooledKind {
  readonly startedPool: WorkerPool<never, unknown> | undefined;
  readonly sharesFactoryPool: boolean;
}

function asPooledKind(kind: AgentKind): PooledKind | undefined {
  const candidate = kind as Partial<PooledKind>;
  return typeof candidate.sharesFactoryPool === "boolean" && "startedPool" in candidate
    ? (candidate as PooledKind)
    : undefined;
}

/**
 * The factory's pool, as {@link attachFactoryPool} hands it back. @internal
 *
 * @example
 * ```ts
 * const pooling = attachFactoryPool({ option: options.pool, kinds });
 * probes.push(...pooling.probes);
 * new Kind({ ...init, pool: pooling.pool });
 * await pooling.close();
 * ```
 */
export interface FactoryPool {
  /** The factory's agent pool (started on the first call when the factory owns it), or undefined without one. */
  readonly pool: (() => AgentPool) | undefined;
  /** `factory.health()` components: `pool`, and `pool:<kind>` for kinds that run a pool of their own. */
  readonly probes: readonly HealthProbe[];
  /** Closes the pool if the factory created it (a pool passed in is left to its owner). Idempotent. */
  close(): Promise<void>;
}

/**
 * Reads a factory's `pool` option: a pool from `createAgentPool` (the caller's), or its
 * options (validated now; the pool starts on first use and closes with the factory).
 * Throws `OptionsError` naming `options.pool` for anything else. @internal
 *
 * @example
 * ```ts
 * const { pool, probes, close } = attachFactoryPool({ option: { maxThreads: 2 }, kinds });
 * ```
 */
export function attachFactoryPool({
  option,
  kinds,
}: {
  readonly option: AgentPool | AgentPoolOptions | undefined;
  readonly kinds: Readonly<Record<string, AgentKind>>;
}): FactoryPool {
  const probes: HealthProbe[] = [];
  // Kinds that keep a pool of their own (they brought one, or the factory has none) are
  // reported too: a saturated pool must show in health whoever created it.
  const reported = new Set<AgentKind>();
  for (const [name, kind] of Object.entries(kinds)) {
    const pooled = asPooledKind(kind);
    if (pooled === undefined || reported.has(kind)) continue;
    if (option !== undefined && pooled.sharesFactoryPool) continue;
    reported.add(kind);
    probes.push(poolProbe(() => pooled.startedPool, `pool:${name}`));
  }
  if (option === undefined) return { pool: undefined, probes, close: async () => {} };
  if (typeof option !== "object" || option === null || Array.isArray(option)) {
    throw new OptionsError("options.pool", "must be a pool from createAgentPool() or its options.");
  }
  if (isAgentPool(option)) {
    probes.push(poolProbe(() => option));
    return { pool: () => option, probes, close: async () => {} };
  }
  if (typeof (option as { run?: unknown }).run === "function") {
    throw new OptionsError(
      "options.pool",
      "is a pool of one task module; pass createAgentPool(options) (it runs every worker-backed kind) or its options.",
    );
  }
  const options = option as AgentPoolOptions;
  validateAgentPoolOptions(options);
  let owned: AgentPool | undefined;
  probes.push(poolProbe(() => owned));
  return {
    pool: () => {
      owned ??= createAgentPool(options);
      return owned;
    },
    probes,
    close: async () => {
      await owned?.close();
    },
  };
}

/** Queue fill (fraction of `maxQueue`) from which the pool reports itself saturated. */
const SATURATED_QUEUE = 0.8;

/**
 * `factory.health()`'s pool component. @internal
 *
 * @example
 * ```ts
 * const probe = poolProbe(() => pool, "pool");
 * console.log(probe()); // { name: "pool", status: "healthy", detail: { threads: 1, … } }
 * ```
 */
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
