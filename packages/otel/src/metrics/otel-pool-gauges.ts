import type { Attributes, BatchObservableResult, Meter } from "@opentelemetry/api";
import { type PoolStatsSource, readPoolStats } from "./pool-stats-source.js";

/** Last values a pool reported through its events (for pools not passed in `pools`). */
interface LastPoolValues {
  threads?: number;
  queueDepth?: number;
  maxQueue?: number;
}

/** What the metric sink feeds into the pool gauges. */
export interface OtelPoolGauges {
  /** Remembers what a pool event reported; observed at the next collection. */
  remember(pool: string, values: LastPoolValues): void;
  /** Removes the collection callback. */
  close(): void;
}

/**
 * The pool gauges as observable gauges, observed at each collection: the pools passed in
 * `pools` from their `stats()` (exact, including busy threads and, when the pool reports
 * it, queue capacity), any other pool from the last values its events carried. One
 * instrument per name either way, so the two sources never conflict.
 * @internal
 */
export function otelPoolGauges(meter: Meter, pools: readonly PoolStatsSource[]): OtelPoolGauges {
  const threads = meter.createObservableGauge("nextgen.pool.threads", {
    description: "Worker threads.",
    unit: "{thread}",
  });
  const busyThreads = meter.createObservableGauge("nextgen.pool.threads.busy", {
    description: "Threads running a task now (pools passed in `pools` only).",
    unit: "{thread}",
  });
  const queueDepth = meter.createObservableGauge("nextgen.pool.queue.depth", {
    description: "Tasks waiting in the queue.",
    unit: "{task}",
  });
  const queueCapacity = meter.createObservableGauge("nextgen.pool.queue.capacity", {
    description: "Queue capacity (maxQueue); absent for an unbounded queue.",
    unit: "{task}",
  });
  const last = new Map<string, LastPoolValues>();
  const attributesOf = new Map<string, Attributes>();
  const attributes = (pool: string): Attributes => {
    let found = attributesOf.get(pool);
    if (found === undefined) {
      found = { "nextgen.pool.name": pool };
      attributesOf.set(pool, found);
    }
    return found;
  };
  const observe = (result: BatchObservableResult): void => {
    const fromStats = new Set<string>();
    for (const stats of readPoolStats(pools)) {
      const pool = attributes(stats.name);
      fromStats.add(stats.name);
      result.observe(threads, stats.threads, pool);
      result.observe(busyThreads, stats.busy, pool);
      result.observe(queueDepth, stats.queued, pool);
      if (stats.maxQueue !== undefined && Number.isFinite(stats.maxQueue)) {
        result.observe(queueCapacity, stats.maxQueue, pool);
      }
    }
    for (const [name, values] of last) {
      if (fromStats.has(name)) continue;
      const pool = attributes(name);
      if (values.threads !== undefined) result.observe(threads, values.threads, pool);
      if (values.queueDepth !== undefined) result.observe(queueDepth, values.queueDepth, pool);
      if (values.maxQueue !== undefined && Number.isFinite(values.maxQueue)) {
        result.observe(queueCapacity, values.maxQueue, pool);
      }
    }
  };
  const observables = [threads, busyThreads, queueDepth, queueCapacity];
  meter.addBatchObservableCallback(observe, observables);
  return {
    remember: (pool, values) => {
      const current = last.get(pool) ?? {};
      if (values.threads !== undefined) current.threads = values.threads;
      if (values.queueDepth !== undefined) current.queueDepth = values.queueDepth;
      if (values.maxQueue !== undefined) current.maxQueue = values.maxQueue;
      last.set(pool, current);
    },
    close: () => meter.removeBatchObservableCallback(observe, observables),
  };
}
