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

  it("returns an empty list for no items", async () => {
    expect(await settleBounded([], async () => 1, 4)).toEqual([]);
  });
});
