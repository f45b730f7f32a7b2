import { describe, expect, it } from "vitest";
import { memoryTier } from "./memory-tier.js";
import { templateBytes, templatePipeline } from "./tiered-cache.fixtures.js";
import { createTieredCache } from "./tiered-cache.js";

// Issue 12 item 8: relative times (not-found memo, L1 freshness, memory-tier expiry) run on
// a monotonic clock; a wall clock stepped back a day must not stretch them by a day.
const DAY = 86_400_000;

/** A wall clock and a monotonic clock the test moves separately. */
function clocks() {
  const state = { wall: Date.parse("2026-06-01T00:00:00Z"), mono: 5_000 };
  return {
    state,
    clock: { now: () => state.wall },
    monotonicClock: { now: () => state.mono },
    /** NTP steps the wall clock back a day while `elapsedMs` really pass. */
    stepBackADay(elapsedMs: number) {
      state.wall -= DAY;
      state.mono += elapsedMs;
    },
  };
}

describe("relative cache times after the wall clock steps back a day", () => {
  it("forgets 'not found' after notFoundTtlMs of monotonic time", async () => {
    const time = clocks();
    const pipeline = templatePipeline({});
    const cache = createTieredCache({ layers: [memoryTier()], ...pipeline, notFoundTtlMs: 1_000, ...time });
    expect(await cache.get("a/b")).toBeUndefined();
    pipeline.publish("a/b", templateBytes("a/b", "1.0.0"));
    time.stepBackADay(1_001);
    expect((await cache.get("a/b"))?.template.version).toBe("1.0.0");
    expect(pipeline.counters.sourceReads).toBe(2);
  });

  it("ends L1 freshness after ttlMs of monotonic time, not of wall time", async () => {
    const time = clocks();
    const pipeline = templatePipeline({ "a/b": templateBytes("a/b", "1.0.0") });
    const cache = createTieredCache({ layers: [memoryTier(time)], ...pipeline, ttlMs: 1_000, ...time });
    await cache.get("a/b");
    time.stepBackADay(1_001);
    await cache.get("a/b"); // stale: served, refreshed behind
    await cache.idle();
    expect(cache.stats().tiers[0]!.stale).toBe(1);
    // A wall clock stepped forward a day does not make a fresh value stale.
    const fresh = createTieredCache({ layers: [memoryTier(time)], ...pipeline, ttlMs: 1_000, ...time });
    await fresh.get("a/b");
    time.state.wall += 2 * DAY;
    await fresh.get("a/b");
    expect(fresh.stats().tiers[0]!.stale).toBe(0);
  });

  it("expires memory-tier entries by monotonic time and keeps wall-clock timestamps", async () => {
    const time = clocks();
    const tier = memoryTier({ ttlMs: 1_000, ...time });
    const bytes = templateBytes("a/b", "1.0.0");
    await tier.set("k", bytes);
    const entry = await tier.get("k");
    expect(entry?.storedAt).toBe(time.state.wall);
    expect(entry?.expiresAt).toBe(time.state.wall + 1_000);
    time.state.wall += DAY; // wall forward: not expired
    expect(await tier.get("k")).toBeDefined();
    time.stepBackADay(1_000); // wall back, a second really passed: expired
    expect(await tier.get("k")).toBeUndefined();
  });

  it("uses one injected clock for both when no monotonic clock is given (tests' fake clocks)", async () => {
    let now = 1_000;
    const tier = memoryTier({ ttlMs: 100, clock: { now: () => now } });
    await tier.set("k", templateBytes("a/b", "1.0.0"));
    now += 100;
    expect(await tier.get("k")).toBeUndefined();
    expect(() => memoryTier({ monotonicClock: 5 as never })).toThrow(/options\.monotonicClock/);
  });
});
