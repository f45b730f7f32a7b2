import { describe, expect, it } from "vitest";
import { settleBounded } from "./settle-bounded.js";

describe("settleBounded", () => {
  it("settles every item in input order with at most `limit` runs in flight", async () => {
    let inFlight = 0;
    let peak = 0;
    const gates: (() => void)[] = [];
    const settled = settleBounded(
      [1, 2, 3, 4, 5],
      async (value) => {
        inFlight++;
        peak = Math.max(peak, inFlight);
        await new Promise<void>((resolve) => gates.push(resolve));
        inFlight--;
        if (value === 3) throw new Error("three");
        return value * 10;
      },
      2,
    );
    while (gates.length > 0 || inFlight > 0) {
      await Promise.resolve();
      gates.shift()?.();
      await new Promise((resolve) => setImmediate(resolve));
    }
    const results = await settled;
    expect(peak).toBe(2);
    expect(
      results.map((result) => (result.status === "fulfilled" ? result.value : (result.reason as Error).message)),
    ).toEqual([10, 20, "three", 40, 50]);
  });

  it("lets the event loop turn after every `limit` runs when the runs never leave the thread", async () => {
    let ran = 0;
    const ranWhenTheLoopTurned: number[] = [];
    const tick = (): void => {
      ranWhenTheLoopTurned.push(ran);
      if (ran < 100) setImmediate(tick);
    };
    setImmediate(tick);
    const results = await settleBounded(
      Array.from({ length: 100 }, (_, index) => index),
      async (value) => {
        ran++;
        return value;
      },
      8,
    );
    expect(results).toHaveLength(100);
    // The loop turned during the work, never more than two windows apart (the runs already
    // in flight when one window's worth settled finish before their lanes wait).
    expect(ranWhenTheLoopTurned[0]).toBeLessThanOrEqual(16);
    // …and up to the end of the work.
    const during = [...ranWhenTheLoopTurned.filter((count) => count < 100), 100];
    for (let index = 1; index < during.length; index++) {
      expect(during[index]! - during[index - 1]!).toBeLessThanOrEqual(16);
    }
  });

  it("returns an empty list for no items", async () => {
    expect(await settleBounded([], async () => 1, 4)).toEqual([]);
  });
});
