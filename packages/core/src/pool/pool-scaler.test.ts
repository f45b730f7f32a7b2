import { afterEach, describe, expect, test, vi } from "vitest";
import { PoolScaler, type ScalerSnapshot } from "./pool-scaler.js";
import { resolvePoolOptions } from "./resolve-options.js";

const snapshot = (changes: Partial<ScalerSnapshot> = {}): ScalerSnapshot => ({
  threads: 1,
  queued: 10,
  busy: 1,
  oldestWaitMs: 10,
  completed: 0,
  busyMs: 0,
  waits: { p50: 0, p95: 0, p99: 0 },
  runs: { p50: 1, p95: 1, p99: 1 },
  eventLoopUtilisation: 1,
  closed: false,
  ...changes,
});

function scaler(intervalMs = 100): { scaler: PoolScaler; ticks: () => number } {
  let ticks = 0;
  const config = resolvePoolOptions({
    filename: "/tmp/task.js",
    minThreads: 1,
    maxThreads: 4,
    scaling: {
      intervalMs,
      policy: (input) => ({ threads: input.threads, reason: "steady" }),
    },
  });
  const created: PoolScaler = new PoolScaler(config, () => {
    ticks++;
    created.evaluate(snapshot());
  });
  return { scaler: created, ticks: () => ticks };
}

afterEach(() => {
  vi.useRealTimers();
});

describe("PoolScaler", () => {
  test("the first queued task of a resting pool gets the policy's look within 10 ms, not a full interval", () => {
    vi.useFakeTimers();
    const { scaler: created, ticks } = scaler();
    created.taskQueued();
    created.taskQueued(); // one early look, however many tasks queue
    vi.advanceTimersByTime(10);
    expect(ticks()).toBe(1);
    // Later windows keep the interval: the next look is the timer's, at 100 ms.
    vi.advanceTimersByTime(89);
    expect(ticks()).toBe(1);
    vi.advanceTimersByTime(1);
    expect(ticks()).toBe(2);
    created.stop();
  });

  test("no early look once the policy has looked since the scaler woke; again after it came to rest", () => {
    vi.useFakeTimers();
    const { scaler: created, ticks } = scaler();
    vi.advanceTimersByTime(100);
    expect(ticks()).toBe(1);
    created.taskQueued();
    vi.advanceTimersByTime(50);
    expect(ticks()).toBe(1);
    created.stop();
    created.taskQueued();
    vi.advanceTimersByTime(10);
    expect(ticks()).toBe(2);
    created.stop();
  });

  test("stop() cancels a pending early look", () => {
    vi.useFakeTimers();
    const { scaler: created, ticks } = scaler();
    created.taskQueued();
    created.stop();
    vi.advanceTimersByTime(500);
    expect(ticks()).toBe(0);
  });

  test("an interval of 10 ms or less needs no early look", () => {
    vi.useFakeTimers();
    const { scaler: created, ticks } = scaler(5);
    created.taskQueued();
    vi.advanceTimersByTime(5);
    expect(ticks()).toBe(1);
    created.stop();
  });
});
