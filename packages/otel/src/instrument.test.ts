import { AsyncLocalStorage } from "node:async_hooks";
import { Worker } from "node:worker_threads";
import type { PoolTaskContext } from "@nextgen/core";
import { createWorkerPool } from "@nextgen/core/pool";
import { type Context, type ContextManager, context, ROOT_CONTEXT, SpanStatusCode, trace } from "@opentelemetry/api";
import { AsyncLocalStorageContextManager } from "@opentelemetry/context-async-hooks";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  COLD_CREATE_TREE,
  channels,
  coldCreate,
  DIGEST,
  runContext,
  tracePromise,
} from "./__fixtures__/core-events.js";
import { createTestSdk, spanNamed, type TestSdk, treeOf } from "./__fixtures__/otel-sdk.js";
import { sdkPerTest } from "./__fixtures__/sdk-per-test.js";
import { instrument } from "./instrument.js";

const t = sdkPerTest();

/** Runs `fn` under a host span, the way an HTTP server instrumentation would. */
function underRequest<T>(fn: () => Promise<T>): Promise<T> {
  return underRequestOf(t.sdk, fn);
}

async function underRequestOf<T>(target: TestSdk, fn: () => Promise<T>): Promise<T> {
  const tracer = target.tracerProvider.getTracer("host");
  const request = tracer.startSpan("request");
  try {
    return await context.with(trace.setSpan(context.active(), request), fn);
  } finally {
    request.end();
  }
}

function runInWorker(carrier: Record<string, string> | undefined) {
  const worker = new Worker(new URL("./__fixtures__/echo-worker.mjs", import.meta.url));
  return new Promise<{ carrier: Record<string, string>; workerStartTime: number; workerEndTime: number }>(
    (resolve, reject) => {
      worker.once("message", (reply) => {
        void worker.terminate();
        resolve(reply);
      });
      worker.once("error", reject);
      worker.postMessage(carrier);
    },
  ).then((reply) => ({ ...reply, threadId: worker.threadId }));
}

describe("with the host's AsyncLocalStorageContextManager", () => {
  const manager = new AsyncLocalStorageContextManager();
  // Test setup only: the library never registers a context manager.
  context.setGlobalContextManager(manager.enable());
  afterAll(() => {
    context.disable();
  });

  it("builds the span tree of a cold create, with verify and decode under resolve", async () => {
    t.instrumentation = instrument({ tracerProvider: t.sdk.tracerProvider, meterProvider: t.sdk.meterProvider });
    let activeDuringVerify: string | undefined;
    await underRequest(() =>
      coldCreate({ onVerify: () => (activeDuringVerify = (trace.getActiveSpan() as { name?: string })?.name) }),
    );
    const spans = t.sdk.exporter.getFinishedSpans();
    expect(treeOf(spans)).toEqual(COLD_CREATE_TREE);
    // The host's own code sees our span as the active one.
    expect(activeDuringVerify).toBe("trust.verify");

    const create = spanNamed(spans, "create_agent Security Auditor");
    expect(create.kind).toBe(0); // INTERNAL
    expect(create.attributes).toMatchObject({
      "gen_ai.operation.name": "create_agent",
      "gen_ai.agent.id": "agt_1",
      "gen_ai.agent.name": "Security Auditor",
      "gen_ai.agent.version": "1.2.0",
      "nextgen.template.id": "security/auditor",
      "nextgen.template.digest": DIGEST,
      "nextgen.agent.kind": "specialist",
      "nextgen.template.cached": false,
    });
    expect(create.status.code).toBe(SpanStatusCode.UNSET);
    expect(spanNamed(spans, "trust.verify").attributes).toMatchObject({
      "nextgen.trust.key_ids": ["release-2026"],
      "nextgen.trust.verdict": "accepted",
      "nextgen.template.digest": DIGEST,
    });
    expect(spanNamed(spans, "codec.decode").attributes).toMatchObject({
      "nextgen.codec.backend": "fzstd",
      "nextgen.codec.bytes_in": 512,
      "nextgen.codec.bytes_out": 2048,
    });
    expect(spanNamed(spans, "template.resolve").attributes).toMatchObject({
      "nextgen.template.origin": "source",
      "nextgen.template.chain": ["security/auditor"],
    });
    const tiers = spans.filter((span) => span.name === "cache.lookup").map((span) => span.attributes);
    expect(tiers).toEqual([
      expect.objectContaining({ "nextgen.cache.tier": "memory", "nextgen.cache.result": "miss" }),
      expect.objectContaining({
        "nextgen.cache.tier": "file",
        "nextgen.cache.result": "miss",
        "nextgen.cache.level": 1,
      }),
    ]);
  });

  it("refuses a second instrument() while one is open, and traces fully after close()", async () => {
    t.instrumentation = instrument({ tracerProvider: t.sdk.tracerProvider });
    const other = createTestSdk();
    // Both would bind the host's storage; Node keeps one transform per storage, so the
    // second would break the first's tree and closing either would unbind both.
    expect(() => instrument({ tracerProvider: other.tracerProvider })).toThrow(/instrument\(\) is already active/);
    t.instrumentation.close();
    t.instrumentation = instrument({ tracerProvider: other.tracerProvider });
    await underRequestOf(other, () => coldCreate());
    expect(treeOf(other.exporter.getFinishedSpans())).toEqual(COLD_CREATE_TREE);
    expect(t.sdk.exporter.getFinishedSpans()).toEqual([]);
    await other.shutdown();
  });

  it("parents the worker span of a worker-backed run on the caller's span through traceparent", async () => {
    t.instrumentation = instrument({ tracerProvider: t.sdk.tracerProvider, meterProvider: t.sdk.meterProvider });
    const run = runContext();
    const task: PoolTaskContext = { pool: "auditor", taskId: 1, queueDepth: 0, threads: 1 };
    let seenByWorker: Record<string, string> | undefined;
    await underRequest(() =>
      tracePromise(
        channels.agentRun,
        async () => {
          // A worker-backed agent hands its carrier to the pool, which publishes pool.task.
          await tracePromise(
            channels.poolTask,
            async () => {
              const reply = await runInWorker(task.traceCarrier);
              seenByWorker = reply.carrier;
              Object.assign(task, {
                waitMs: 0.5,
                runMs: reply.workerEndTime - reply.workerStartTime,
                threadId: reply.threadId,
                workerStartTime: reply.workerStartTime,
                workerEndTime: reply.workerEndTime,
              });
            },
            task,
          );
        },
        run,
      ),
    );
    const spans = t.sdk.exporter.getFinishedSpans();
    expect(treeOf(spans)).toEqual([
      "(root) > request",
      "invoke_agent Security Auditor > pool.task",
      "pool.task > pool.task execute",
      "request > invoke_agent Security Auditor",
    ]);
    const invoke = spanNamed(spans, "invoke_agent Security Auditor");
    const poolTask = spanNamed(spans, "pool.task");
    const execute = spanNamed(spans, "pool.task execute");
    expect(invoke.attributes).toMatchObject({ "gen_ai.operation.name": "invoke_agent", "gen_ai.agent.id": "agt_1" });
    expect(run.traceCarrier?.traceparent).toBe(`00-${invoke.spanContext().traceId}-${invoke.spanContext().spanId}-01`);
    // What crossed the thread names the pool.task span; the worker span hangs under it.
    expect(seenByWorker?.traceparent).toBe(`00-${poolTask.spanContext().traceId}-${poolTask.spanContext().spanId}-01`);
    expect(execute.parentSpanContext?.spanId).toBe(poolTask.spanContext().spanId);
    expect(execute.parentSpanContext?.isRemote).toBe(true);
    expect(execute.spanContext().traceId).toBe(invoke.spanContext().traceId);
    expect(execute.attributes).toMatchObject({ "nextgen.pool.name": "auditor", "thread.id": task.threadId });
    expect(execute.startTime[0] * 1e3 + execute.startTime[1] / 1e6).toBeCloseTo(task.workerStartTime ?? 0, 3);
  });
  it("parents the worker span of core's real worker pool on the pool.task span", async () => {
    t.instrumentation = instrument({ tracerProvider: t.sdk.tracerProvider, meterProvider: t.sdk.meterProvider });
    const pool = createWorkerPool({
      filename: new URL("./__fixtures__/carrier-worker.mjs", import.meta.url),
      name: "carrier",
      minThreads: 1,
      maxThreads: 1,
    });
    try {
      const seen = await underRequest(() =>
        tracePromise(channels.agentRun, () => pool.run({}) as Promise<Record<string, string> | null>, runContext()),
      );
      const spans = t.sdk.exporter.getFinishedSpans();
      expect(treeOf(spans)).toEqual([
        "(root) > request",
        "invoke_agent Security Auditor > pool.task",
        "pool.task > pool.task execute",
        "request > invoke_agent Security Auditor",
      ]);
      const poolTask = spanNamed(spans, "pool.task");
      expect(seen?.traceparent).toBe(`00-${poolTask.spanContext().traceId}-${poolTask.spanContext().spanId}-01`);
      expect(spanNamed(spans, "pool.task execute").attributes["nextgen.pool.name"]).toBe("carrier");
      expect(poolTask.attributes["nextgen.pool.run_ms"]).toBeTypeOf("number");
    } finally {
      await pool.close();
    }
  });
});

describe("without a host context manager", () => {
  it("still nests its own spans (its own storage)", async () => {
    t.instrumentation = instrument({ tracerProvider: t.sdk.tracerProvider, meterProvider: t.sdk.meterProvider });
    await coldCreate();
    expect(treeOf(t.sdk.exporter.getFinishedSpans())).toEqual(
      [
        "(root) > create_agent Security Auditor",
        ...COLD_CREATE_TREE.filter((line) => !line.includes("request")),
      ].sort(),
    );
  });
});

describe("with a host context manager that exposes only the public ContextManager API", () => {
  // No `_asyncLocalStorage` or any other private field: nesting must come from `context.with`.
  class PublicOnlyContextManager implements ContextManager {
    readonly #storage = new AsyncLocalStorage<Context>();
    active(): Context {
      return this.#storage.getStore() ?? ROOT_CONTEXT;
    }
    with<A extends unknown[], F extends (...args: A) => ReturnType<F>>(
      active: Context,
      fn: F,
      thisArg?: ThisParameterType<F>,
      ...args: A
    ): ReturnType<F> {
      return this.#storage.run(active, () => fn.call(thisArg, ...args));
    }
    bind<T>(_context: Context, target: T): T {
      return target;
    }
    enable(): this {
      return this;
    }
    disable(): this {
      this.#storage.disable();
      return this;
    }
  }
  beforeAll(() => {
    context.setGlobalContextManager(new PublicOnlyContextManager());
  });
  afterAll(() => {
    context.disable();
  });

  it("makes our span the active one for the host's code inside the operation", async () => {
    t.instrumentation = instrument({ tracerProvider: t.sdk.tracerProvider, meterProvider: t.sdk.meterProvider });
    const host = t.sdk.tracerProvider.getTracer("host");
    await underRequest(() => coldCreate({ onVerify: () => host.startSpan("host.http").end() }));
    const spans = t.sdk.exporter.getFinishedSpans();
    expect(treeOf(spans)).toEqual([...COLD_CREATE_TREE, "trust.verify > host.http"].sort());
  });
});
