import { wallClock } from "@nextgen/core";
import { describe, expect, it } from "vitest";
import { RunRegistry } from "./run-registry.js";

describe("RunRegistry", () => {
  it("tracks runs, resolves idle when the last ends, and forgets finished runs after retainMs (fake clock)", async () => {
    let now = 0;
    const registry = new RunRegistry({ retainMs: 1_000, maxFinished: 10, clock: { now: () => now } });
    let finish!: (value: string) => void;
    const { record, outcome } = registry.start("a/b", () => new Promise<string>((resolve) => (finish = resolve)));
    expect(registry.running).toBe(1);
    const idle = registry.idle();
    finish("done");
    expect(await outcome).toBe("done");
    await idle;
    expect(registry.get(record.runId)).toMatchObject({ status: "succeeded", result: "done" });
    now = 2_000;
    expect(registry.get(record.runId)).toBeUndefined();
  });

  it("cancels through the run's signal and records failures with their code", async () => {
    const registry = new RunRegistry();
    const { record, outcome } = registry.start(
      "a/b",
      (signal) =>
        new Promise((_, reject) =>
          signal.addEventListener("abort", () =>
            reject(Object.assign(new Error("stop"), { code: "NG_ERR_AGENT_ABORTED" })),
          ),
        ),
    );
    expect(registry.cancel(record.runId, "test")).toBe(true);
    await outcome.catch(() => undefined);
    await registry.idle();
    expect(registry.get(record.runId)).toMatchObject({ status: "cancelled", error: { code: "NG_ERR_AGENT_ABORTED" } });
    expect(registry.cancel("unknown", "test")).toBe(false);
    const failed = registry.start("a/b", async () => {
      throw new Error("boom");
    });
    await failed.outcome.catch(() => undefined);
    expect(registry.get(failed.record.runId)).toMatchObject({
      status: "failed",
      error: { code: "NG_ERR_INTERNAL_ERROR", detail: "boom" },
    });
  });

  it("keeps at most maxFinished finished runs", async () => {
    const registry = new RunRegistry({ retainMs: 60_000, maxFinished: 2, clock: wallClock });
    const ids: string[] = [];
    for (let index = 0; index < 4; index++) {
      const { record, outcome } = registry.start("a/b", async () => index);
      await outcome;
      ids.push(record.runId);
    }
    await registry.idle();
    expect(ids.map((id) => registry.get(id)?.status)).toEqual([undefined, undefined, "succeeded", "succeeded"]);
  });

  it("keeps a run started with retainFinished: false for answeredRetainMs (at most maxAnswered), and can cancel it while it runs", async () => {
    let now = 1_000_000;
    const clock = { now: () => now };
    const registry = new RunRegistry({
      retainMs: 600_000,
      maxFinished: 10,
      answeredRetainMs: 1_000,
      maxAnswered: 2,
      clock,
    });
    let finish!: (value: string) => void;
    const answered = registry.start("a/b", () => new Promise<string>((resolve) => (finish = resolve)), {
      retainFinished: false,
    });
    expect(registry.get(answered.record.runId)).toMatchObject({ status: "running" });
    finish("done");
    expect(await answered.outcome).toBe("done");
    await registry.idle();
    expect(registry.get(answered.record.runId)).toMatchObject({ status: "succeeded", result: "done" });
    now += 1_001;
    expect(registry.get(answered.record.runId)).toBeUndefined();

    const cancelled = registry.start(
      "a/b",
      (signal) => new Promise((_, reject) => signal.addEventListener("abort", () => reject(signal.reason))),
      { retainFinished: false },
    );
    expect(registry.cancel(cancelled.record.runId, "test")).toBe(true);
    await cancelled.outcome.catch(() => undefined);
    await registry.idle();
    expect(cancelled.record.status).toBe("cancelled");

    // The count bound: of three more answered runs, the two newest stay; background runs are not affected.
    const background = registry.start("a/b", async () => "kept");
    await background.outcome;
    const ids: string[] = [];
    for (let index = 0; index < 3; index++) {
      const { record, outcome } = registry.start("a/b", async () => index, { retainFinished: false });
      await outcome;
      ids.push(record.runId);
    }
    expect(ids.map((id) => registry.get(id)?.status)).toEqual([undefined, "succeeded", "succeeded"]);
    expect(registry.get(cancelled.record.runId)).toBeUndefined();
    expect(registry.get(background.record.runId)).toMatchObject({ result: "kept" });
  });

  it("counts a run whose work throws synchronously as failed, not as running forever", async () => {
    const registry = new RunRegistry();
    const { record, outcome } = registry.start("a/b", (): Promise<never> => {
      throw new Error("sync");
    });
    await expect(outcome).rejects.toThrow("sync");
    await registry.idle();
    expect(registry.running).toBe(0);
    expect(registry.get(record.runId)).toMatchObject({ status: "failed", error: { detail: "sync" } });
  });
});
