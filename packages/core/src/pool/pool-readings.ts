import type { PoolScaler, ScalerSnapshot } from "./pool-scaler.js";
import type { ResolvedPoolOptions } from "./resolve-options.js";
import type { TaskDispatcher } from "./task-dispatcher.js";
import type { TaskLedger } from "./task-ledger.js";
import type { WorkerPoolStats } from "./types.js";
import type { WorkerSet } from "./worker-set.js";

/** The parts of a pool its readings come from. @internal */
export interface PoolParts {
  readonly config: ResolvedPoolOptions;
  readonly workers: WorkerSet;
  readonly dispatcher: TaskDispatcher;
  readonly ledger: TaskLedger;
  readonly scaler: PoolScaler;
}

/**
 * What the scaler reads at one evaluation. It also moves each worker's event-loop
 * utilisation baseline, so take exactly one per evaluation. @internal
 *
 * @example
 * ```ts
 * const decision = scaler.evaluate(scalerSnapshot(parts, closed));
 * ```
 */
export function scalerSnapshot(parts: PoolParts, closed: boolean): ScalerSnapshot {
  const { workers, dispatcher, ledger } = parts;
  const oldest = dispatcher.oldest();
  return {
    threads: workers.live.length,
    queued: dispatcher.waiting,
    busy: workers.busy(),
    oldestWaitMs:
      oldest === undefined ? 0 : Math.max(0, performance.timeOrigin + performance.now() - oldest.enqueuedAt),
    completed: ledger.completed,
    busyMs: ledger.busyMs,
    waits: ledger.waits.percentiles(),
    runs: ledger.runs.percentiles(),
    eventLoopUtilisation: workers.eventLoopUtilisation(),
    closed,
  };
}

/**
 * `pool.stats()`: counts, sizes and recent wait and run percentiles. @internal
 *
 * @example
 * ```ts
 * const stats = poolStats("resize", parts, false); // stats.threads, stats.waitMs.p95, …
 * ```
 */
export function poolStats(name: string, parts: PoolParts, closed: boolean): WorkerPoolStats {
  const { config, workers, dispatcher, ledger, scaler } = parts;
  const threads = workers.live.length;
  return {
    name,
    threads,
    busy: workers.busy(),
    queued: dispatcher.queue.size,
    completed: ledger.completed,
    failed: ledger.failed,
    crashed: ledger.crashed,
    maxThreads: config.maxThreads,
    maxQueue: config.maxQueue,
    closed,
    utilisation: scaler.lifetimeUtilisation(threads, ledger.busyMs),
    waitMs: ledger.waits.percentiles(),
    runMs: ledger.runs.percentiles(),
  };
}
