import type { ScalingDecision, ScalingInput, ScalingSample } from "./scaling-types.js";

/** The most recent saturated sample with fewer threads than now: the size the pool grew from. */
function smallerSize(input: ScalingInput): ScalingSample | undefined {
  for (let index = input.history.length - 1; index >= 0; index--) {
    const sample = input.history[index];
    if (sample?.saturated && sample.threads < input.threads) return sample;
  }
  return undefined;
}

/**
 * The default policy. Grows when tasks wait in the queue (p95 of recent tasks, or the
 * oldest queued one) longer than they run, or more than 5 ms: doubling per window up to the CPU
 * count (by no more than the queue depth), then one thread per step. Past the
 * CPU count, after each step it measures a full window at the new size
 * and keeps growing only if throughput rose by more than 5 % over the smaller size; if
 * it fell by more than 5 %, it goes back (more CPU-bound threads than cores add
 * contention, not throughput, and the pool finds that out instead of assuming it).
 * Shrinks to `minThreads` after `idleTimeoutMs` without work, and by one thread after a
 * window under 30 % utilisation with an empty queue.
 *
 * @example
 * ```ts
 * const pool = createWorkerPool({ filename, scaling: { policy: queueWaitPolicy } });
 * ```
 */
export function queueWaitPolicy(input: ScalingInput): ScalingDecision {
  const { threads, queueDepth } = input;
  if (queueDepth > 0) {
    if (threads === 0) return { threads: Math.min(queueDepth, input.cpuCount), reason: "tasks queued, no thread" };
    const waiting = Math.max(input.waitP95Ms, input.oldestWaitMs);
    const pressed =
      waiting >= Math.max(5, input.runP50Ms) || (input.utilisation >= 0.9 && input.busyThreads === threads);
    if (!pressed || threads >= input.maxThreads) return { threads, reason: "steady" };
    // Up to the core count more threads help any saturated pool: no need to measure first.
    if (threads < input.cpuCount) {
      const target = Math.min(input.maxThreads, input.cpuCount, threads + Math.min(queueDepth, threads));
      return { threads: target, reason: `queue wait ${waiting.toFixed(1)} ms, depth ${queueDepth}` };
    }
    if (input.windowsAtSize < 2) return { threads, reason: "measuring the new size" };
    const before = smallerSize(input);
    const here = input.throughputPerSecond;
    if (before !== undefined && here < before.throughputPerSecond * 0.95) {
      return {
        threads: before.threads,
        reason: `throughput ${here.toFixed(0)}/s < ${before.throughputPerSecond.toFixed(0)}/s at ${before.threads} threads`,
      };
    }
    if (before !== undefined && here <= before.throughputPerSecond * 1.05) {
      return { threads, reason: `no gain over ${before.threads} threads` };
    }
    // Past the cores, one thread at a time: the best size is rarely far, and a small
    // step finds it instead of jumping over it.
    return { threads: threads + 1, reason: `queue wait ${waiting.toFixed(1)} ms, depth ${queueDepth}` };
  }
  if (input.idleMs >= input.idleTimeoutMs && threads > input.minThreads) {
    return { threads: input.minThreads, reason: `idle for ${Math.round(input.idleMs)} ms` };
  }
  if (input.idleMs > 0 && input.utilisation < 0.3 && threads > input.minThreads && threads > 1) {
    return { threads: threads - 1, reason: `utilisation ${(input.utilisation * 100).toFixed(0)} %` };
  }
  return { threads, reason: "steady" };
}

/**
 * A hill-climbing policy: while the queue is saturated, it compares the throughput
 * measured at the current thread count with the one measured at neighbouring counts in
 * `history`, steps toward the better one, and stays once both neighbours were measured
 * worse. From one thread it tries a second at once, without measuring one thread first.
 * Without saturation it behaves like {@link queueWaitPolicy} (shrink after idle).
 * Good when the best size is not the CPU count (mixed I/O and CPU, memory bandwidth).
 *
 * @example
 * ```ts
 * const pool = createWorkerPool({ filename, scaling: { policy: throughputClimbingPolicy } });
 * ```
 */
export function throughputClimbingPolicy(input: ScalingInput): ScalingDecision {
  const { threads } = input;
  if (input.queueDepth === 0 || threads === 0) return queueWaitPolicy(input);
  const best = new Map<number, number>();
  for (const sample of input.history) {
    if (!sample.saturated) continue;
    // The most recent measurement per size wins: load changes over time.
    best.set(sample.threads, sample.throughputPerSecond);
  }
  // One thread with tasks queued: a second is worth trying before anything is measured
  // (waiting two windows at one thread cost a cold CPU-bound pool about 3 % of a 3 s run).
  if (threads === 1 && !best.has(2) && input.maxThreads > 1) {
    return { threads: 2, reason: `exploring 2 threads (${input.queueDepth} tasks queued on one)` };
  }
  if (input.windowsAtSize < 2) return { threads, reason: "measuring the new size" };
  const here = input.throughputPerSecond;
  best.set(threads, here);
  const below = best.get(threads - 1);
  const above = best.get(threads + 1);
  // 3 % hysteresis so that noise does not make it oscillate.
  if (below !== undefined && below > here * 1.03 && threads - 1 >= Math.max(1, input.minThreads)) {
    return {
      threads: threads - 1,
      reason: `throughput ${below.toFixed(0)}/s at ${threads - 1} > ${here.toFixed(0)}/s`,
    };
  }
  if (above === undefined && threads < input.maxThreads) {
    return { threads: threads + 1, reason: `exploring ${threads + 1} threads (${here.toFixed(0)}/s now)` };
  }
  if (above !== undefined && above > here * 1.03 && threads < input.maxThreads) {
    return {
      threads: threads + 1,
      reason: `throughput ${above.toFixed(0)}/s at ${threads + 1} > ${here.toFixed(0)}/s`,
    };
  }
  return { threads, reason: `best throughput at ${threads} threads` };
}
