import type { RunContext } from "@nextgen/core";
import { createWorkerPool } from "@nextgen/core/pool";
import { context, trace } from "@opentelemetry/api";
import { AsyncLocalStorageContextManager } from "@opentelemetry/context-async-hooks";
import { afterAll, afterEach, beforeAll, expect, it } from "vitest";
import { COLD_CREATE_TREE } from "./__fixtures__/core-events.js";
import { createTestSdk, type TestSdk, treeOf } from "./__fixtures__/otel-sdk.js";
import { KEY_NOT_AFTER, realFactory, Specialist } from "./__fixtures__/real-factory.js";
import { instrument } from "./instrument.js";

let sdk: TestSdk;
const cleanups: (() => Promise<void> | void)[] = [];
beforeAll(() => {
  // Test setup only: the library never registers a context manager.
  context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
});
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});
afterAll(() => {
  context.disable();
});

it("traces a cold create of the real factory: resolve, decode and verify under create_agent", async () => {
  sdk = createTestSdk();
  cleanups.push(() => sdk.shutdown());
  const instrumentation = instrument({ tracerProvider: sdk.tracerProvider, meterProvider: sdk.meterProvider });
  cleanups.push(() => instrumentation.close());
  const { factory, cleanup } = await realFactory();
  cleanups.push(cleanup);

  const request = sdk.tracerProvider.getTracer("host").startSpan("request");
  // An exact version goes through every tier; a bare id asks the source for its latest, and a
  // directory source hands over the bytes with the answer (no tier read: see resolve-origin).
  const agent = await context.with(trace.setSpan(context.active(), request), () =>
    factory.create("security/auditor", { version: "1.2.0" }),
  );
  request.end();

  const spans = sdk.exporter.getFinishedSpans();
  // The same tree the synthetic-event test expects: the fixture mirrors the real factory.
  expect(treeOf(spans)).toEqual(COLD_CREATE_TREE);
  const lookups = spans
    .filter((span) => span.name === "cache.lookup")
    .map((span) => `${span.attributes["nextgen.cache.tier"]}:${span.attributes["nextgen.cache.result"]}`);
  expect(lookups).toEqual(["memory:miss", "file:miss"]);
  const create = spans.find((span) => span.name === "create_agent Security Auditor");
  expect(create?.attributes).toMatchObject({
    "gen_ai.operation.name": "create_agent",
    "gen_ai.agent.id": agent.id,
    "gen_ai.agent.version": "1.2.0",
    "nextgen.template.cached": false,
  });
  const verify = spans.find((span) => span.name === "trust.verify");
  expect(verify?.attributes["nextgen.trust.verdict"]).toBe("accepted");
  expect(verify?.attributes["nextgen.trust.key_ids"]).toEqual(["release-2026"]);
  expect(spans.every((span) => span.spanContext().traceId === request.spanContext().traceId)).toBe(true);
});

it("produces Prometheus text from a real workload that promtool-style checks and the alerts rely on", async () => {
  const { Registry } = await import("prom-client");
  const { registerPrometheusMetrics } = await import("./prometheus/register-prometheus-metrics.js");
  const registry = new Registry();
  const { factory, trust, cleanup } = await realFactory();
  cleanups.push(cleanup);
  const prometheus = registerPrometheusMetrics({ registry, trust });
  cleanups.push(() => prometheus.close());
  for (let index = 0; index < 20; index++) await factory.create("security/auditor");
  const text = await registry.metrics();
  expect(text).toContain('nextgen_agents_created_total{kind="specialist",cached="false"} 1');
  expect(text).toContain('nextgen_agents_created_total{kind="specialist",cached="true"} 19');
  expect(text).toContain('nextgen_agent_create_duration_seconds_count{kind="specialist",outcome="success"} 20');
  expect(text).toContain('nextgen_signature_verdicts_total{verdict="accepted",reason="none"} 1');
  const notAfter = Date.parse(KEY_NOT_AFTER) / 1000;
  expect(text).toContain(`nextgen_trust_key_expiry_timestamp_seconds{kid="release-2026"} ${notAfter}`);
  expect(text).toContain(`nextgen_trust_earliest_key_expiry_timestamp_seconds{kid="release-2026"} ${notAfter}`);
  expect(text).toContain("nextgen_codec_bytes_in_total{backend=");
});

it("traces a worker-backed agent.run: the worker span hangs under pool.task under invoke_agent", async () => {
  sdk = createTestSdk();
  cleanups.push(() => sdk.shutdown());
  const instrumentation = instrument({ tracerProvider: sdk.tracerProvider, meterProvider: sdk.meterProvider });
  cleanups.push(() => instrumentation.close());
  const pool = createWorkerPool({
    filename: new URL("./__fixtures__/carrier-worker.mjs", import.meta.url),
    name: "auditor",
    minThreads: 1,
    maxThreads: 1,
  });
  cleanups.push(() => pool.close());
  // A worker-backed kind: execute hands the task and its trace carrier to the pool.
  class PooledSpecialist extends Specialist {
    protected override execute(task: string, context?: RunContext): string {
      return pool.run(task, { traceCarrier: context?.traceCarrier }) as never;
    }
  }
  const { factory, cleanup } = await realFactory(PooledSpecialist);
  cleanups.push(cleanup);
  const agent = await factory.create("security/auditor");
  sdk.exporter.reset();

  const request = sdk.tracerProvider.getTracer("host").startSpan("request");
  const seen = (await context.with(trace.setSpan(context.active(), request), () => agent.run("src/"))) as unknown as {
    traceparent: string;
  };
  request.end();

  const spans = sdk.exporter.getFinishedSpans();
  expect(treeOf(spans)).toEqual([
    "(root) > request",
    "invoke_agent Security Auditor > pool.task",
    "pool.task > pool.task execute",
    "request > invoke_agent Security Auditor",
  ]);
  const poolTask = spans.find((span) => span.name === "pool.task");
  const execute = spans.find((span) => span.name === "pool.task execute");
  expect(seen.traceparent).toBe(`00-${poolTask?.spanContext().traceId}-${poolTask?.spanContext().spanId}-01`);
  expect(execute?.parentSpanContext?.spanId).toBe(poolTask?.spanContext().spanId);
  expect(execute?.spanContext().traceId).toBe(request.spanContext().traceId);
  expect(spans.find((span) => span.name.startsWith("invoke_agent"))?.attributes).toMatchObject({
    "gen_ai.operation.name": "invoke_agent",
    "gen_ai.agent.id": agent.id,
    "nextgen.agent.attempts": 1,
  });
});

it("serves the real factory's health report on /health", async () => {
  const { createServer } = await import("node:http");
  const { Registry } = await import("prom-client");
  const { metricsHandler } = await import("./prometheus/metrics-handler.js");
  const { factory, cleanup } = await realFactory();
  cleanups.push(cleanup);
  const server = createServer(metricsHandler(new Registry(), { health: factory }));
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  cleanups.push(() => new Promise<void>((resolve) => server.close(() => resolve())));
  const { port } = server.address() as { port: number };
  const response = await fetch(`http://127.0.0.1:${port}/health`);
  const report = (await response.json()) as { status: string; components: { name: string }[] };
  expect(response.status).toBe(report.status === "unhealthy" ? 503 : 200);
  expect(report.components.map((component) => component.name)).toContain("source");
});

it("reads real worker pools' threads and queue at each scrape", async () => {
  const { Registry } = await import("prom-client");
  const { registerPrometheusMetrics } = await import("./prometheus/register-prometheus-metrics.js");
  const pool = createWorkerPool({
    filename: new URL("./__fixtures__/carrier-worker.mjs", import.meta.url),
    name: "indexer",
    minThreads: 2,
    maxThreads: 2,
  });
  cleanups.push(() => pool.close());
  const registry = new Registry();
  const prometheus = registerPrometheusMetrics({ registry, pools: [pool] });
  cleanups.push(() => prometheus.close());
  await Promise.all(Array.from({ length: 4 }, () => pool.run({})));
  const text = await registry.metrics();
  expect(text).toContain('nextgen_pool_threads{pool="indexer"} 2');
  expect(text).toContain('nextgen_pool_queue_depth{pool="indexer"} 0');
  expect(text).toContain('nextgen_pool_busy_threads{pool="indexer"} 0');
  expect(text).toContain('nextgen_pool_task_run_seconds_count{pool="indexer"} 4');
  expect(() => registerPrometheusMetrics({ registry: new Registry(), pools: [{}] as never })).toThrow(/options\.pools/);
});

it("records a real signature refusal: error span with the code, refused verdict by reason", async () => {
  sdk = createTestSdk();
  cleanups.push(() => sdk.shutdown());
  const instrumentation = instrument({ tracerProvider: sdk.tracerProvider, meterProvider: sdk.meterProvider });
  cleanups.push(() => instrumentation.close());
  const { Registry } = await import("prom-client");
  const { registerPrometheusMetrics } = await import("./prometheus/register-prometheus-metrics.js");
  const registry = new Registry();
  const prometheus = registerPrometheusMetrics({ registry });
  cleanups.push(() => prometheus.close());
  const { factory, cleanup } = await realFactory(Specialist, true);
  cleanups.push(cleanup);

  const failure = await factory.create("security/auditor").catch((error: unknown) => error);
  const code = (failure as { code?: string }).code;
  expect(code).toMatch(/^NG_ERR_SIGNATURE_/);
  const spans = sdk.exporter.getFinishedSpans();
  const verify = spans.find((span) => span.name === "trust.verify");
  expect(verify?.status.code).toBe(2); // ERROR
  expect(verify?.attributes["nextgen.trust.verdict"]).toBe("refused");
  expect(verify?.attributes["error.type"]).toBe(code);
  const create = spans.find((span) => span.name === "create_agent security/auditor");
  expect(create?.attributes["error.type"]).toBe(code);
  const text = await registry.metrics();
  const reason = verify?.attributes["nextgen.trust.reason"];
  expect(text).toContain(`nextgen_signature_verdicts_total{verdict="refused",reason="${reason}"} 1`);
  expect(text).toContain(`nextgen_agent_create_errors_total{error_type="${code}"} 1`);
});
