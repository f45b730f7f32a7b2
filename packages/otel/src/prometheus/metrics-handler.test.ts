import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { Registry } from "prom-client";
import { afterEach, expect, it } from "vitest";
import { warmCreate } from "../__fixtures__/core-events.js";
import { type HealthReportLike, metricsHandler } from "./metrics-handler.js";
import { registerPrometheusMetrics } from "./register-prometheus-metrics.js";

let server: Server | undefined;
afterEach(async () => {
  await new Promise((resolve) => server?.close(resolve) ?? resolve(undefined));
  server = undefined;
});

async function serve(handler: ReturnType<typeof metricsHandler>): Promise<string> {
  server = createServer(handler);
  await new Promise<void>((resolve) => server?.listen(0, "127.0.0.1", resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

it("serves /metrics from the registry and /health from the health source", async () => {
  const registry = new Registry();
  const prometheus = registerPrometheusMetrics({ registry });
  await warmCreate();
  const report = { status: "degraded", components: [{ name: "redis", status: "unhealthy" }] } as const;
  const base = await serve(metricsHandler(registry, { health: { health: async () => report } }));
  const metrics = await fetch(`${base}/metrics`);
  expect(metrics.status).toBe(200);
  expect(metrics.headers.get("content-type")).toContain("text/plain");
  expect(await metrics.text()).toContain("nextgen_agents_created_total");
  const health = await fetch(`${base}/health`);
  expect(health.status).toBe(200);
  expect(await health.json()).toEqual(report);
  prometheus.close();
});

it("answers 503 when unhealthy or when health() throws, 404 and 405 otherwise", async () => {
  let next: () => HealthReportLike = () => ({ status: "unhealthy" });
  const base = await serve(metricsHandler(new Registry(), { health: { health: () => next() } }));
  expect((await fetch(`${base}/health`)).status).toBe(503);
  next = () => {
    throw new Error("trust root unreadable");
  };
  const failed = await fetch(`${base}/health`);
  expect(failed.status).toBe(503);
  expect(await failed.json()).toEqual({ status: "unhealthy", reasons: ["trust root unreadable"] });
  expect((await fetch(`${base}/nope`)).status).toBe(404);
  expect((await fetch(`${base}/metrics`, { method: "POST" })).status).toBe(405);
});

it("answers 404 on /health without a health source, 500 when the registry fails", async () => {
  const broken = { metrics: () => Promise.reject(new Error("collect failed")), contentType: "text/plain" };
  const base = await serve(metricsHandler(broken as unknown as Registry));
  expect((await fetch(`${base}/health`)).status).toBe(404);
  expect((await fetch(`${base}/metrics`)).status).toBe(500);
});
