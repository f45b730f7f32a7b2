import { Worker } from "node:worker_threads";
import { afterEach, expect, test, vi } from "vitest";
import { NextGenError } from "../errors/next-gen-error.js";
import { createWorkerPool } from "./worker-pool.js";

// No payload reliably fails to deserialize on the main thread on every Node version, so
// the test captures the pool's threads and raises the `messageerror` event Node would.
const threads: Worker[] = [];
const originalOn = Worker.prototype.on;

afterEach(() => {
  Worker.prototype.on = originalOn;
  threads.length = 0;
});

test("a reply that cannot be deserialized rejects its task with a code instead of leaving it pending", async () => {
  Worker.prototype.on = function (this: Worker, event: string | symbol, listener: Parameters<typeof originalOn>[1]) {
    if (event === "messageerror") threads.push(this);
    return originalOn.call(this, event, listener);
  } as typeof Worker.prototype.on;
  const pool = createWorkerPool<{ op: string; value?: unknown }, unknown>({
    filename: new URL("./fixtures/echo.ts", import.meta.url),
    minThreads: 1,
    maxThreads: 1,
  });
  try {
    expect(await pool.run({ op: "echo", value: 1 })).toBe(1);
    const started = new SharedArrayBuffer(4);
    const stuck = pool.run({ op: "startedThenBlock", value: started }).then(
      () => undefined,
      (reason: unknown) => reason,
    );
    await vi.waitFor(() => expect(Atomics.load(new Int32Array(started), 0)).toBe(1), { timeout: 10_000 });
    const behind = pool.run({ op: "echo", value: "still runs" });
    const worker = threads[0];
    expect(worker).toBeDefined();
    worker?.emit("messageerror", new Error("Unable to deserialize cloned data."));

    const error = await stuck;
    expect(NextGenError.is(error, "NG_ERR_POOL_TASK_FAILED")).toBe(true);
    expect((error as Error).message).toMatch(/could not be deserialized/);
    // The task that had not started runs on the replacement worker.
    expect(await behind).toBe("still runs");
    expect(await pool.run({ op: "echo", value: 2 })).toBe(2);
    expect(pool.stats().failed).toBe(1);
  } finally {
    await pool.close({ force: true });
  }
});
