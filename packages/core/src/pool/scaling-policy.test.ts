import { describe, expect, test } from "vitest";
import { queueWaitPolicy, throughputClimbingPolicy } from "./scaling-policy.js";
import type { ScalingInput, ScalingSample } from "./scaling-types.js";

const quiet: ScalingInput = {
  queueDepth: 0,
  oldestWaitMs: 0,
  busyThreads: 0,
  waitP50Ms: 0,
  waitP95Ms: 0,
  runP50Ms: 2,
  runP95Ms: 3,
  utilisation: 0.5,
  eventLoopUtilisation: 0.5,
  threads: 2,
  minThreads: 1,
  maxThreads: 8,
  cpuCount: 4,
  idleMs: 0,
  idleTimeoutMs: 30_000,
  throughputPerSecond: 100,
  windowsAtSize: 2,
  history: [],
};

const saturated = (threads: number, throughputPerSecond: number): ScalingSample => ({
  threads,
  throughputPerSecond,
  saturated: true,
});

const input = (changes: Partial<ScalingInput>): ScalingInput => ({ ...quiet, ...changes });

describe("queueWaitPolicy", () => {
  test("keeps the size when nothing waits", () => {
    expect(queueWaitPolicy(quiet).threads).toBe(2);
  });

  test("grows when queue wait rises, at most doubling per window", () => {
    const decision = queueWaitPolicy(input({ queueDepth: 10, waitP95Ms: 40, busyThreads: 2, eventLoopUtilisation: 1 }));
    expect(decision.threads).toBe(4);
    expect(decision.reason).toMatch(/queue wait/);
  });

  test("grows on the oldest queued task's wait even before any task completed", () => {
    expect(queueWaitPolicy(input({ queueDepth: 1, oldestWaitMs: 250, busyThreads: 2 })).threads).toBe(3);
  });

  const busy = { queueDepth: 50, waitP95Ms: 100, busyThreads: 4, threads: 4 };

  test("keeps growing while more threads bring more throughput", () => {
    const decision = queueWaitPolicy(input({ ...busy, throughputPerSecond: 2000, history: [saturated(2, 1000)] }));
    // At the core count (4) it steps one thread at a time.
    expect(decision.threads).toBe(5);
  });

  test("holds when the last step brought no gain", () => {
    const decision = queueWaitPolicy(input({ ...busy, throughputPerSecond: 1020, history: [saturated(2, 1000)] }));
    expect(decision).toEqual({ threads: 4, reason: "no gain over 2 threads" });
  });

  test("goes back when the smaller size was faster (CPU-bound work past the core count)", () => {
    const decision = queueWaitPolicy(input({ ...busy, throughputPerSecond: 700, history: [saturated(2, 1000)] }));
    expect(decision.threads).toBe(2);
  });

  test("measures a full window at a new size before deciding again", () => {
    expect(queueWaitPolicy(input({ ...busy, windowsAtSize: 1 })).reason).toBe("measuring the new size");
  });

  test("ignores short waits", () => {
    expect(queueWaitPolicy(input({ queueDepth: 2, waitP95Ms: 1, oldestWaitMs: 1 })).threads).toBe(2);
  });

  test("shrinks to minThreads after idleTimeoutMs without work", () => {
    const decision = queueWaitPolicy(input({ threads: 6, idleMs: 30_000 }));
    expect(decision).toEqual({ threads: 1, reason: "idle for 30000 ms" });
  });

  test("sheds one thread when a window ran mostly idle", () => {
    expect(queueWaitPolicy(input({ threads: 6, idleMs: 500, utilisation: 0.1 })).threads).toBe(5);
  });

  test("starts a thread for queued work when none is alive", () => {
    expect(queueWaitPolicy(input({ threads: 0, minThreads: 0, queueDepth: 3 })).threads).toBe(3);
  });
});

describe("throughputClimbingPolicy", () => {
  const pressure = { queueDepth: 20, waitP95Ms: 50, busyThreads: 2 };

  test("explores one more thread while the queue is saturated", () => {
    const decision = throughputClimbingPolicy(input({ ...pressure, threads: 2, throughputPerSecond: 1000 }));
    expect(decision.threads).toBe(3);
  });

  test("from one thread tries a second at once, even in the first window at that size", () => {
    const decision = throughputClimbingPolicy(
      input({ ...pressure, busyThreads: 1, threads: 1, windowsAtSize: 1, throughputPerSecond: 300 }),
    );
    expect(decision).toEqual({ threads: 2, reason: "exploring 2 threads (20 tasks queued on one)" });
  });

  test("back at one thread after two measured worse, it measures before moving again", () => {
    const decision = throughputClimbingPolicy(
      input({ ...pressure, threads: 1, windowsAtSize: 1, throughputPerSecond: 300, history: [saturated(2, 280)] }),
    );
    expect(decision).toEqual({ threads: 1, reason: "measuring the new size" });
  });

  test("steps back when the smaller size measured better", () => {
    const decision = throughputClimbingPolicy(
      input({ ...pressure, threads: 3, throughputPerSecond: 900, history: [saturated(2, 1000)] }),
    );
    expect(decision.threads).toBe(2);
  });

  test("stays at a peak once both neighbours measured worse", () => {
    const decision = throughputClimbingPolicy(
      input({ ...pressure, threads: 2, throughputPerSecond: 1000, history: [saturated(1, 600), saturated(3, 900)] }),
    );
    expect(decision).toEqual({ threads: 2, reason: "best throughput at 2 threads" });
  });

  test("ignores windows that were not saturated (they measure demand, not capacity)", () => {
    const decision = throughputClimbingPolicy(
      input({
        ...pressure,
        threads: 3,
        throughputPerSecond: 900,
        history: [{ threads: 2, throughputPerSecond: 5000, saturated: false }],
      }),
    );
    expect(decision.threads).toBe(4);
  });

  test("falls back to shrinking after idle", () => {
    expect(throughputClimbingPolicy(input({ threads: 4, idleMs: 60_000 })).threads).toBe(1);
  });
});
