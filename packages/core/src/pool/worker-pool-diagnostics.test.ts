import diagnosticsChannel from "node:diagnostics_channel";
import { afterEach, expect, test } from "vitest";
import { POOL_SCALE_CHANNEL, POOL_TASK_CHANNEL } from "../diagnostics/channels.js";
import type { PoolScaleMessage, PoolTaskContext } from "../diagnostics/payloads.js";
import type { WorkerPool } from "./types.js";
import { createWorkerPool } from "./worker-pool.js";

const echo = new URL("./fixtures/echo.ts", import.meta.url);
const pools: WorkerPool[] = [];
afterEach(async () => {
  await Promise.all(pools.splice(0).map((pool) => pool.close({ force: true })));
});

test("nextgen:pool.task carries the trace context into the worker and reports wait, run and thread", async () => {
  const pool = createWorkerPool({ filename: echo, name: "traced", maxThreads: 1, maxQueue: 8 });
  pools.push(pool);
  const finished: PoolTaskContext[] = [];
  const handlers = {
    start(context: PoolTaskContext) {
      context.traceCarrier = { traceparent: "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01" };
    },
    asyncEnd(context: PoolTaskContext) {
      finished.push({ ...context });
    },
  };
  const channel = diagnosticsChannel.tracingChannel<unknown, PoolTaskContext>(POOL_TASK_CHANNEL);
  channel.subscribe(handlers as never);
  const calledAt = performance.timeOrigin + performance.now();
  let settledAt = Number.NaN;
  try {
    expect(await pool.run({ op: "carrier" })).toEqual({
      traceparent: "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01",
    });
    settledAt = performance.timeOrigin + performance.now();
  } finally {
    channel.unsubscribe(handlers as never);
  }
  expect(finished).toHaveLength(1);
  const [context] = finished;
  expect(context).toMatchObject({ pool: "traced", taskId: 1, queueDepth: 0, maxQueue: 8 });
  // One thread (maxThreads 1), started with the pool: the task ran on it.
  expect(context?.threads).toBe(1);
  expect(context?.threadId).toBe(await pool.run({ op: "threadId" }));
  // Run time is the worker's own span; wait and run fit inside the caller's span (1 ms of
  // slack for the two threads' time origins), in milliseconds rather than another unit.
  const { runMs = Number.NaN, waitMs = Number.NaN, workerStartTime = 0, workerEndTime = 0 } = context ?? {};
  expect(runMs).toBe(workerEndTime - workerStartTime);
  expect(waitMs + runMs).toBeLessThanOrEqual(settledAt - calledAt + 1);
  expect(workerStartTime).toBeGreaterThanOrEqual(calledAt - 1);
  expect(workerEndTime).toBeLessThanOrEqual(settledAt + 1);
  // Without an instrumentation the caller's carrier is used; without either, none.
  expect(await pool.run({ op: "carrier" }, { traceCarrier: { traceparent: "x" } })).toEqual({ traceparent: "x" });
  expect(await pool.run({ op: "carrier" })).toBeNull();
});

test("the pool shrinks to minThreads after idleTimeoutMs (fake clock) and publishes nextgen:pool.scale", async () => {
  let now = 0;
  const pool = createWorkerPool({
    filename: echo,
    name: "shrinking",
    minThreads: 1,
    maxThreads: 3,
    idleTimeoutMs: 60_000,
    clock: { now: () => now },
    scaling: {
      intervalMs: 5,
      policy: (input) => ({ threads: input.idleMs >= input.idleTimeoutMs ? 1 : 3, reason: `idle ${input.idleMs}` }),
    },
  });
  pools.push(pool);
  const events: PoolScaleMessage[] = [];
  const listener = (message: unknown): void => {
    events.push(message as PoolScaleMessage);
  };
  diagnosticsChannel.subscribe(POOL_SCALE_CHANNEL, listener);
  try {
    // Queue work so the scaler wakes up and grows to 3.
    await Promise.all(Array.from({ length: 20 }, (_, index) => pool.run({ op: "sleep", ms: 20, value: index })));
    await until(() => pool.stats().threads === 3);
    now += 60_000;
    await until(() => pool.stats().threads === 1);
  } finally {
    diagnosticsChannel.unsubscribe(POOL_SCALE_CHANNEL, listener);
  }
  expect(events.some((event) => event.pool === "shrinking" && event.to === 3)).toBe(true);
  expect(events.at(-1)).toEqual({ pool: "shrinking", from: 3, to: 1, reason: "idle 60000" });
});

async function until(condition: () => boolean): Promise<void> {
  while (!condition()) await new Promise((resolve) => setTimeout(resolve, 5));
}
