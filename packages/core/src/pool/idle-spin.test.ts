import { describe, expect, test } from "vitest";
import { IdleSpin, SPIN_MAX_MISSES, SPIN_WINDOW_MS } from "./idle-spin.js";

describe("IdleSpin", () => {
  test("polls after a task until misses in a row reach the limit, then stays quiet", () => {
    const spin = new IdleSpin();
    for (let index = 0; index < SPIN_MAX_MISSES; index++) {
      expect(spin.shouldSpin(1, true)).toBe(true);
      spin.miss();
    }
    expect(spin.shouldSpin(1, true)).toBe(false);
    // Sporadic tasks (far apart) do not restart the polling.
    spin.woken(1_000);
    expect(spin.shouldSpin(1, true)).toBe(false);
  });

  test("a hit resets the misses; tasks arriving close together restart polling", () => {
    const spin = new IdleSpin();
    spin.miss();
    spin.miss();
    spin.hit();
    spin.miss();
    spin.miss();
    expect(spin.shouldSpin(1, true)).toBe(true);
    spin.miss();
    expect(spin.shouldSpin(1, true)).toBe(false);
    spin.woken(SPIN_WINDOW_MS * 2);
    expect(spin.shouldSpin(1, true)).toBe(true);
  });

  test("does not poll after a batch of tasks (a busy main thread needs the core)", () => {
    const spin = new IdleSpin();
    expect(spin.shouldSpin(2, true)).toBe(false);
    expect(spin.shouldSpin(64, true)).toBe(false);
    expect(spin.shouldSpin(1, true)).toBe(true);
  });

  test("does not poll while the pool is loaded (more tasks than threads)", () => {
    const spin = new IdleSpin();
    expect(spin.shouldSpin(1, false)).toBe(false);
    expect(spin.shouldSpin(1, true)).toBe(true);
  });
});
