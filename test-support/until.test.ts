import { describe, expect, it } from "vitest";
import { until } from "./until.js";

describe("until", () => {
  it("resolves with the probe's first value that is not undefined or false", async () => {
    let calls = 0;
    const value = await until(() => (++calls >= 3 ? `after ${calls}` : undefined), { intervalMs: 1 });
    expect(value).toBe("after 3");
    expect(calls).toBe(3);
  });

  it("treats a throwing probe as not yet, and quotes its last error when the wait times out", async () => {
    const failing = until(
      () => {
        throw new Error("connection refused");
      },
      { what: "the server", timeoutMs: 20, intervalMs: 1 },
    );
    await expect(failing).rejects.toThrow(/timed out after 20 ms waiting for the server: Error: connection refused/);
  });

  it("rejects instead of hanging when the condition never holds", async () => {
    await expect(until(() => false, { what: "nothing", timeoutMs: 15, intervalMs: 1 })).rejects.toThrow(
      /waiting for nothing/,
    );
  });
});
