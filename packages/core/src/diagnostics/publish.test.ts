import { AsyncLocalStorage } from "node:async_hooks";
import diagnosticsChannel from "node:diagnostics_channel";
import { afterEach, describe, expect, it } from "vitest";
import type { TracedContext } from "./payloads.js";
import { runInContextOf, traced } from "./publish.js";

interface TestContext extends TracedContext {
  id: number;
}

const channel = diagnosticsChannel.tracingChannel<unknown, TestContext>("nextgen:test.traced");
const storage = new AsyncLocalStorage<string>();
const unsubscribers: (() => void)[] = [];

function subscribe(handlers: Partial<diagnosticsChannel.TracingChannelSubscribers<TestContext>>): string[] {
  const events: string[] = [];
  const all: diagnosticsChannel.TracingChannelSubscribers<TestContext> = {
    start: (context) => {
      events.push("start");
      handlers.start?.(context);
    },
    end: () => events.push("end"),
    asyncStart: () => events.push("asyncStart"),
    asyncEnd: (context) => events.push(`asyncEnd:${"result" in context ? String(context.result) : "-"}`),
    error: (context) => events.push(`error:${(context as { error?: Error }).error?.message}`),
  };
  channel.subscribe(all);
  unsubscribers.push(() => channel.unsubscribe(all));
  return events;
}

afterEach(() => {
  for (const unsubscribe of unsubscribers.splice(0)) unsubscribe();
});

describe("traced", () => {
  it("calls the operation bare and builds no context when nothing subscribes", async () => {
    let built = 0;
    const seen: unknown[] = [];
    const result = await traced(
      channel,
      () => ({ id: ++built }),
      async (context) => {
        seen.push(context, storage.getStore());
        return 7;
      },
    );
    expect(result).toBe(7);
    expect(built).toBe(0);
    expect(seen).toEqual([undefined, undefined]);
  });

  it("runs the operation through the runInContext a start subscriber sets", async () => {
    const events = subscribe({
      start: (context) => (context.runInContext = (fn) => storage.run(`op-${context.id}`, fn)),
    });
    const seen: (string | undefined)[] = [];
    const result = await traced(
      channel,
      () => ({ id: 1 }),
      async () => {
        seen.push(storage.getStore());
        await new Promise((resolve) => setImmediate(resolve));
        seen.push(storage.getStore());
        return "done";
      },
    );
    expect(result).toBe("done");
    expect(seen).toEqual(["op-1", "op-1"]);
    expect(storage.getStore()).toBeUndefined();
    expect(events).toEqual(["start", "end", "asyncStart", "asyncEnd:done"]);
  });

  it("keeps the rejection and the error event when the operation fails inside the hook", async () => {
    const events = subscribe({ start: (context) => (context.runInContext = (fn) => storage.run("op", fn)) });
    const failure = new Error("boom");
    await expect(
      traced(
        channel,
        () => ({ id: 2 }),
        async () => {
          throw failure;
        },
      ),
    ).rejects.toBe(failure);
    expect(events).toEqual(["start", "end", "error:boom", "asyncStart", "asyncEnd:-"]);
  });

  it("runs the operation once, directly, when the hook throws before calling it", async () => {
    const events = subscribe({
      start: (context) =>
        (context.runInContext = () => {
          throw new Error("broken instrumentation");
        }),
    });
    let calls = 0;
    const result = await traced(
      channel,
      () => ({ id: 3 }),
      async () => ++calls,
    );
    expect(result).toBe(1);
    expect(calls).toBe(1);
    expect(events).toEqual(["start", "end", "asyncStart", "asyncEnd:1"]);
  });
});

describe("runInContextOf", () => {
  it("calls fn directly without a hook", () => {
    expect(runInContextOf({}, () => 5)).toBe(5);
  });

  it("returns fn's result, not the hook's, and never calls fn twice", () => {
    let calls = 0;
    const context: TracedContext = {
      runInContext: <T>(fn: () => T): T => {
        fn();
        throw new Error("after the operation");
      },
    };
    expect(runInContextOf(context, () => ++calls)).toBe(1);
    expect(calls).toBe(1);
  });

  it("calls fn when the hook returns without calling it", () => {
    const context: TracedContext = { runInContext: <T>(_fn: () => T): T => undefined as T };
    expect(runInContextOf(context, () => "ran")).toBe("ran");
  });

  it("propagates fn's own synchronous error, not the hook's", () => {
    const failure = new Error("operation failed");
    const context: TracedContext = {
      runInContext: <T>(fn: () => T): T => {
        try {
          return fn();
        } catch {
          throw new Error("hook rewrapped it");
        }
      },
    };
    expect(() =>
      runInContextOf(context, () => {
        throw failure;
      }),
    ).toThrow(failure);
  });
});
