import { afterEach, describe, expect, test, vi } from "vitest";
import { NextGenError } from "../errors/next-gen-error.js";
import { WORKER_HOOKS_ENV } from "./pool-worker.js";
import type { WorkerPool, WorkerPoolOptions } from "./types.js";
import { createWorkerPool } from "./worker-pool.js";

type Op =
  | { op: "echo"; value: unknown }
  | { op: "sleep"; ms: number; value?: unknown }
  | { op: "startedThenBlock"; value: SharedArrayBuffer }
  | { op: "block" | "throw" | "exit" | "oom" | "uncloneable" | "workerData" | "carrier" | "threadId" };

const echo = new URL("./fixtures/echo.ts", import.meta.url);
const pools: WorkerPool[] = [];

function pool(options: Partial<WorkerPoolOptions> = {}): WorkerPool<Op, unknown> {
  const created = createWorkerPool<Op, unknown>({ filename: echo, maxThreads: 2, ...options });
  pools.push(created as WorkerPool);
  return created;
}

async function rejection(promise: Promise<unknown>): Promise<NextGenError> {
  const error = await promise.then(
    () => undefined,
    (reason: unknown) => reason,
  );
  if (!NextGenError.is(error)) throw new Error(`expected a NextGenError, got ${String(error)}`);
  return error;
}

afterEach(async () => {
  await Promise.all(pools.splice(0).map((created) => created.close({ force: true })));
});

describe("createWorkerPool", () => {
  test("runs tasks and hands the worker its workerData", async () => {
    const tasks = pool({ workerData: { region: "eu" } });
    expect(await tasks.run({ op: "echo", value: { a: [1, 2] } })).toEqual({ a: [1, 2] });
    expect(await tasks.run({ op: "workerData" })).toEqual({ region: "eu" });
    const many = await Promise.all(Array.from({ length: 200 }, (_, index) => tasks.run({ op: "echo", value: index })));
    expect(many).toEqual(Array.from({ length: 200 }, (_, index) => index));
    expect(tasks.stats()).toMatchObject({ completed: 202, failed: 0, queued: 0 });
  });

  test("tasks still reach their workers under a caller's fake timers (the post is not the global setImmediate)", async () => {
    const tasks = pool();
    vi.useFakeTimers();
    try {
      expect(await tasks.run({ op: "echo", value: 7 })).toBe(7);
      const many = await Promise.all(Array.from({ length: 50 }, (_, index) => tasks.run({ op: "echo", value: index })));
      expect(many).toEqual(Array.from({ length: 50 }, (_, index) => index));
    } finally {
      vi.useRealTimers();
    }
  });

  test("a task error rejects NG_ERR_POOL_TASK_FAILED with the worker's error as cause", async () => {
    const tasks = pool();
    const error = await rejection(tasks.run({ op: "throw" }));
    expect(error.code).toBe("NG_ERR_POOL_TASK_FAILED");
    const cause = error.cause as Error & { code?: string };
    expect(cause).toBeInstanceOf(Error);
    expect(cause.name).toBe("RangeError");
    expect(cause.message).toBe("bad input");
    expect(cause.code).toBe("E_BAD_INPUT");
    expect(cause.stack).toContain("echo.ts");
    // The worker survives a task error.
    expect(await tasks.run({ op: "echo", value: 1 })).toBe(1);
  });

  test("a result that cannot be cloned fails the task, not the worker", async () => {
    const tasks = pool();
    expect((await rejection(tasks.run({ op: "uncloneable" }))).code).toBe("NG_ERR_POOL_TASK_FAILED");
    expect(await tasks.run({ op: "echo", value: 2 })).toBe(2);
  });

  test("timeouts count execution only, not queue wait", async () => {
    const tasks = pool({ minThreads: 1, maxThreads: 1 });
    const long = tasks.run({ op: "sleep", ms: 600, value: "long" });
    // Queued behind 600 ms of work with a 400 ms budget: must not time out while waiting.
    const queued = tasks.run({ op: "sleep", ms: 1, value: "queued" }, { timeoutMs: 400 });
    expect(await long).toBe("long");
    expect(await queued).toBe("queued");
  });

  test("a running task past its timeout rejects NG_ERR_POOL_TASK_TIMEOUT; only its worker is replaced", async () => {
    const tasks = pool({ minThreads: 2, maxThreads: 2 });
    const other = tasks.run({ op: "sleep", ms: 400, value: "other" });
    const stuck = tasks.run({ op: "block" }, { timeoutMs: 200 });
    expect((await rejection(stuck)).code).toBe("NG_ERR_POOL_TASK_TIMEOUT");
    expect(await other).toBe("other");
    expect(await tasks.run({ op: "echo", value: "after" })).toBe("after");
    expect(tasks.stats().threads).toBe(2);
  });

  test("taskTimeoutMs applies to every task", async () => {
    const tasks = pool({ taskTimeoutMs: 200 });
    expect((await rejection(tasks.run({ op: "block" }))).code).toBe("NG_ERR_POOL_TASK_TIMEOUT");
  });

  test("aborting a queued task removes it without touching any worker", async () => {
    const tasks = pool({ minThreads: 1, maxThreads: 1 });
    const running = tasks.run({ op: "sleep", ms: 300, value: "running" });
    const controller = new AbortController();
    const queued = tasks.run({ op: "echo", value: "never" }, { signal: controller.signal });
    expect(tasks.stats().queued).toBe(1);
    controller.abort(new Error("user cancelled"));
    const error = await rejection(queued);
    expect(error.code).toBe("NG_ERR_POOL_TASK_ABORTED");
    expect((error.cause as Error).message).toBe("user cancelled");
    expect(tasks.stats().queued).toBe(0);
    expect(await running).toBe("running");
    expect(tasks.stats()).toMatchObject({ threads: 1, completed: 1, failed: 1 });
  });

  test("aborting a running task replaces only its worker; the other task is unaffected", async () => {
    const tasks = pool({ minThreads: 2, maxThreads: 2 });
    const other = tasks.run({ op: "sleep", ms: 300, value: "other" });
    const controller = new AbortController();
    const started = new SharedArrayBuffer(4);
    const stuck = tasks.run({ op: "startedThenBlock", value: started }, { signal: controller.signal });
    // Abort once it really runs (a fixed delay would abort a still-starting worker on a loaded machine).
    await vi.waitFor(() => expect(Atomics.load(new Int32Array(started), 0)).toBe(1), { timeout: 10_000 });
    controller.abort();
    expect((await rejection(stuck)).code).toBe("NG_ERR_POOL_TASK_ABORTED");
    expect(await other).toBe("other");
    expect(await tasks.run({ op: "echo", value: 3 })).toBe(3);
  });

  test("an already aborted signal rejects at once", async () => {
    const tasks = pool();
    expect((await rejection(tasks.run({ op: "echo", value: 1 }, { signal: AbortSignal.abort() }))).code).toBe(
      "NG_ERR_POOL_TASK_ABORTED",
    );
  });

  test.each([
    ["process.exit", "exit"],
    ["out of memory under resourceLimits", "oom"],
  ] as const)("a worker crash (%s) rejects NG_ERR_POOL_WORKER_CRASHED and the worker is replaced", async (_, op) => {
    const tasks = pool({ minThreads: 1, maxThreads: 1, resourceLimits: { maxOldGenerationSizeMb: 32 } });
    const error = await rejection(tasks.run({ op }));
    expect(error.code).toBe("NG_ERR_POOL_WORKER_CRASHED");
    expect(await tasks.run({ op: "echo", value: "replaced" })).toBe("replaced");
  });

  test("a crash amid pipelined tasks fails only the crashing task; the others complete", async () => {
    const tasks = pool({ minThreads: 1, maxThreads: 1 });
    // Short tasks first, so that the pool pipelines and batches.
    await Promise.all(Array.from({ length: 200 }, (_, index) => tasks.run({ op: "echo", value: index })));
    const before = Array.from({ length: 20 }, (_, index) => tasks.run({ op: "echo", value: index }));
    const crash = rejection(tasks.run({ op: "exit" }));
    const after = Array.from({ length: 20 }, (_, index) => tasks.run({ op: "echo", value: index }));
    expect((await crash).code).toBe("NG_ERR_POOL_WORKER_CRASHED");
    expect(await Promise.all([...before, ...after])).toEqual([...Array(20).keys(), ...Array(20).keys()]);
  });

  test("an out-of-memory task amid pipelined tasks fails alone: tasks that finished before it resolve", async () => {
    const tasks = pool({ minThreads: 1, maxThreads: 1, resourceLimits: { maxOldGenerationSizeMb: 32 } });
    await Promise.all(Array.from({ length: 200 }, (_, index) => tasks.run({ op: "echo", value: index })));
    for (let round = 0; round < 3; round++) {
      // Posted in one go, so the worker runs them in one batch: the echoes finish, then the hog
      // reaches the heap limit and the thread is terminated.
      const before = Array.from({ length: 20 }, (_, index) => tasks.run({ op: "echo", value: index }));
      const crash = rejection(tasks.run({ op: "oom" }));
      const after = Array.from({ length: 20 }, (_, index) => tasks.run({ op: "echo", value: -index }));
      expect((await crash).code).toBe("NG_ERR_POOL_WORKER_CRASHED");
      expect(await Promise.all(before)).toEqual([...Array(20).keys()]);
      expect(await Promise.all(after)).toEqual([...Array(20).keys()].map((index) => -index));
    }
    expect(tasks.stats()).toMatchObject({ failed: 3 });
  }, 60_000);

  test("a worker file that throws at top level rejects NG_ERR_POOL_WORKER_CRASHED", async () => {
    const broken = createWorkerPool({ filename: new URL("./fixtures/throws-at-load.ts", import.meta.url) });
    pools.push(broken);
    const error = await rejection(broken.run(1));
    expect(error.code).toBe("NG_ERR_POOL_WORKER_CRASHED");
    expect((error.cause as Error).message).toContain("broken module");
  });

  test("a full queue rejects NG_ERR_POOL_QUEUE_FULL, or waits when asked", async () => {
    const tasks = pool({ minThreads: 1, maxThreads: 1, maxQueue: 1 });
    const running = tasks.run({ op: "sleep", ms: 200, value: "a" }, { timeoutMs: 10_000 });
    const queued = tasks.run({ op: "echo", value: "b" }, { timeoutMs: 10_000 });
    expect((await rejection(tasks.run({ op: "echo", value: "c" }, { timeoutMs: 10_000 }))).code).toBe(
      "NG_ERR_POOL_QUEUE_FULL",
    );
    const waiting = tasks.run({ op: "echo", value: "d" }, { waitForQueue: true, timeoutMs: 10_000 });
    expect(await Promise.all([running, queued, waiting])).toEqual(["a", "b", "d"]);
  });

  test("close rejects pending tasks with NG_ERR_POOL_CLOSED, lets running ones finish, and leaves no thread", async () => {
    const tasks = pool({ minThreads: 1, maxThreads: 1 });
    const running = tasks.run({ op: "sleep", ms: 200, value: "done" }, { timeoutMs: 10_000 });
    const pending = tasks.run({ op: "echo", value: "never" });
    const closing = tasks.close();
    expect(tasks.close()).toBe(closing);
    expect((await rejection(pending)).code).toBe("NG_ERR_POOL_CLOSED");
    expect(await running).toBe("done");
    await closing;
    expect(process.getActiveResourcesInfo().filter((name) => /Worker|MessagePort/.test(name))).toEqual([]);
    expect((await rejection(tasks.run({ op: "echo", value: 1 }))).code).toBe("NG_ERR_POOL_CLOSED");
  });

  test("close({ force }) ends running tasks with NG_ERR_POOL_CLOSED", async () => {
    const tasks = pool();
    const stuck = rejection(tasks.run({ op: "block" }));
    await tasks.run({ op: "echo", value: 0 });
    await tasks.close({ force: true });
    expect((await stuck).code).toBe("NG_ERR_POOL_CLOSED");
    expect(process.getActiveResourcesInfo().filter((name) => /Worker|MessagePort/.test(name))).toEqual([]);
  });

  test("bad options throw NG_ERR_OPTIONS_INVALID naming the option", () => {
    const invalid = (options: Partial<WorkerPoolOptions>): string => {
      try {
        createWorkerPool({ filename: echo, ...options });
      } catch (error) {
        if (NextGenError.is(error, "NG_ERR_OPTIONS_INVALID")) return error.message;
        throw error;
      }
      throw new Error("no error");
    };
    expect(invalid({ minThreads: 4, maxThreads: 2 })).toBe("options.maxThreads must be ≥ options.minThreads");
    expect(invalid({ maxThreads: 0 })).toMatch(/^options\.maxThreads/);
    expect(invalid({ minThreads: -1 })).toMatch(/^options\.minThreads/);
    expect(invalid({ idleTimeoutMs: 0 })).toMatch(/^options\.idleTimeoutMs/);
    expect(invalid({ maxQueue: 1.5 })).toMatch(/^options\.maxQueue/);
    expect(invalid({ taskTimeoutMs: -5 })).toMatch(/^options\.taskTimeoutMs/);
    expect(invalid({ filename: "" })).toMatch(/^options\.filename/);
    expect(invalid({ filename: "https://example.com/x.js" })).toMatch(/^options\.filename/);
  });
});

describe("fastPath: false", () => {
  test("runs tasks one per worker, with errors, crashes and timeouts as on the fast path", async () => {
    const tasks = pool({ fastPath: false, minThreads: 1, maxThreads: 1 });
    const many = await Promise.all(Array.from({ length: 100 }, (_, index) => tasks.run({ op: "echo", value: index })));
    expect(many).toEqual([...Array(100).keys()]);
    expect((await rejection(tasks.run({ op: "throw" }))).code).toBe("NG_ERR_POOL_TASK_FAILED");
    const crash = rejection(tasks.run({ op: "exit" }));
    const after = tasks.run({ op: "echo", value: "after" });
    expect((await crash).code).toBe("NG_ERR_POOL_WORKER_CRASHED");
    expect(await after).toBe("after");
    expect(tasks.stats()).toMatchObject({ completed: 101, failed: 2, crashed: 1 });
  });

  test("is validated", () => {
    expect(() => createWorkerPool({ filename: echo, fastPath: "yes" as never })).toThrow(/^options\.fastPath/);
  });
});

describe("TypeScript task files", () => {
  test("are refused at construction, naming options.filename, when no worker hooks are set", () => {
    const hooks = process.env[WORKER_HOOKS_ENV];
    delete process.env[WORKER_HOOKS_ENV];
    try {
      let thrown: unknown;
      try {
        createWorkerPool({ filename: echo });
      } catch (error) {
        thrown = error;
      }
      expect(thrown).toMatchObject({ code: "NG_ERR_OPTIONS_INVALID", option: "options.filename" });
      expect(String((thrown as Error).message)).toContain(WORKER_HOOKS_ENV);
    } finally {
      process.env[WORKER_HOOKS_ENV] = hooks;
    }
  });

  test("run through the hooks the test setup names (tsx), with product code never loading tsx", async () => {
    expect(process.env[WORKER_HOOKS_ENV]).toMatch(/^file:.*tsx/);
    await expect(pool().run({ op: "echo", value: 7 })).resolves.toBe(7);
  });
});
