import { plain, publish } from "../diagnostics/publish.js";
import type { PoolWorker } from "./pool-worker.js";
import type { RecentSamples } from "./recent-samples.js";
import type { ResolvedPoolOptions } from "./resolve-options.js";
import type { ScalingInput, ScalingSample } from "./scaling-types.js";

/** What the scaler reads from and does to the pool. */
export interface ScalablePool {
  readonly name: string;
  readonly workers: readonly PoolWorker[];
  readonly queued: number;
  readonly busy: number;
  /** Milliseconds the oldest queued task has waited. */
  readonly oldestWaitMs: number;
  readonly completed: number;
  readonly busyMs: number;
  readonly waits: RecentSamples;
  readonly runs: RecentSamples;
  readonly closed: boolean;
  spawn(): PoolWorker;
  retireIdle(count: number): number;
}

const HISTORY_LENGTH = 32;

/**
 * Runs the scaling policy every `intervalMs` on a timer that never keeps the process
 * alive, and applies its decision. A throwing policy keeps the current size.
 */
export class PoolScaler {
  readonly #pool: ScalablePool;
  readonly #config: ResolvedPoolOptions;
  #timer: NodeJS.Timeout | undefined;
  readonly #history: ScalingSample[] = [];
  /** Evaluations since the thread count last changed. */
  #windowsAtSize = 0;
  #lastThreads = -1;
  #windowStart: number;
  #windowCompleted = 0;
  #windowBusyMs = 0;
  #lastBusyAt: number;
  // Integral of the thread count over time, for utilisation.
  #threadMs = 0;
  #windowThreadMs = 0;
  #threadsSince: number;

  constructor(pool: ScalablePool, config: ResolvedPoolOptions) {
    this.#pool = pool;
    this.#config = config;
    const now = config.clock.now();
    this.#windowStart = now;
    this.#lastBusyAt = now;
    this.#threadsSince = now;
    this.wake();
  }

  /** Ensures the evaluation timer runs. */
  wake(): void {
    if (this.#timer !== undefined || this.#pool.closed) return;
    this.#timer = setInterval(() => this.evaluate(), this.#config.intervalMs);
    this.#timer.unref();
  }

  stop(): void {
    if (this.#timer !== undefined) clearInterval(this.#timer);
    this.#timer = undefined;
  }

  /** Called when a worker goes idle: the idle clock starts from here. */
  touch(): void {
    this.#lastBusyAt = this.#config.clock.now();
  }

  /** Called before the thread count changes, to integrate thread time. */
  accountThreads(): void {
    const now = this.#config.clock.now();
    this.#threadMs += this.#pool.workers.length * (now - this.#threadsSince);
    this.#threadsSince = now;
  }

  lifetimeUtilisation(): number {
    this.accountThreads();
    return this.#threadMs > 0 ? Math.min(1, this.#pool.busyMs / this.#threadMs) : 0;
  }

  /** One evaluation: gather the inputs, ask the policy, apply. */
  evaluate(): void {
    const pool = this.#pool;
    if (pool.closed) return;
    const now = this.#config.clock.now();
    this.accountThreads();
    const elapsed = Math.max(1, now - this.#windowStart);
    const completed = pool.completed - this.#windowCompleted;
    const busyMs = pool.busyMs - this.#windowBusyMs;
    const threadMs = this.#threadMs - this.#windowThreadMs;
    this.#windowStart = now;
    this.#windowCompleted = pool.completed;
    this.#windowBusyMs = pool.busyMs;
    this.#windowThreadMs = this.#threadMs;
    const active = pool.queued > 0 || pool.busy > 0;
    if (active) this.#lastBusyAt = now;
    const threads = pool.workers.length;
    const waits = pool.waits.percentiles();
    const runs = pool.runs.percentiles();
    const throughputPerSecond = (completed * 1000) / elapsed;
    this.#windowsAtSize = threads === this.#lastThreads ? this.#windowsAtSize + 1 : 1;
    this.#lastThreads = threads;
    const input: ScalingInput = {
      queueDepth: pool.queued,
      oldestWaitMs: pool.oldestWaitMs,
      busyThreads: pool.busy,
      waitP50Ms: waits.p50,
      waitP95Ms: waits.p95,
      runP50Ms: runs.p50,
      runP95Ms: runs.p95,
      utilisation: threadMs > 0 ? Math.min(1, busyMs / threadMs) : 0,
      eventLoopUtilisation: this.#eventLoopUtilisation(),
      threads,
      minThreads: this.#config.minThreads,
      maxThreads: this.#config.maxThreads,
      cpuCount: this.#config.cpuCount,
      idleMs: active ? 0 : now - this.#lastBusyAt,
      idleTimeoutMs: this.#config.idleTimeoutMs,
      throughputPerSecond,
      windowsAtSize: this.#windowsAtSize,
      history: this.#history.slice(),
    };
    // The first window at a new size includes thread start-up: it would under-measure.
    if (this.#windowsAtSize >= 2) {
      this.#history.push({ threads, throughputPerSecond, saturated: pool.queued > 0 });
      if (this.#history.length > HISTORY_LENGTH) this.#history.shift();
    }
    let desired = threads;
    let reason = "";
    try {
      const decision = this.#config.policy(input);
      desired = Math.round(decision.threads);
      reason = String(decision.reason);
    } catch {
      return;
    }
    if (!Number.isFinite(desired)) return;
    desired = Math.min(this.#config.maxThreads, Math.max(this.#config.minThreads, desired));
    if (desired > threads) for (let count = threads; count < desired; count++) pool.spawn();
    else if (desired < threads) pool.retireIdle(threads - desired);
    const after = pool.workers.length;
    if (after !== threads) publish(plain.poolScale, () => ({ pool: pool.name, from: threads, to: after, reason }));
    // Nothing to watch: stop ticking until the next task arrives.
    if (!active && after <= this.#config.minThreads) this.stop();
  }

  #eventLoopUtilisation(): number {
    let sum = 0;
    let count = 0;
    for (const worker of this.#pool.workers) {
      if (!worker.ready || worker.eventLoopBaseline === undefined) continue;
      const now = worker.worker.performance.eventLoopUtilization();
      sum += worker.worker.performance.eventLoopUtilization(now, worker.eventLoopBaseline).utilization;
      worker.eventLoopBaseline = now;
      count++;
    }
    return count === 0 ? 0 : sum / count;
  }
}
