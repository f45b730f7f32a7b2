import { afterAll, expect, test, vi } from "vitest";
import { NextGenError } from "../errors/next-gen-error.js";
import { createAgentFactory } from "../factory/create-agent-factory.js";
import { memorySource } from "../source/memory-source.js";
import type { AgentTemplate } from "../template/types.js";
import { trustPolicy } from "../trust/trust-policy.js";
import { createAgentPool } from "./agent-pool.js";
import { workerKind } from "./worker-kind.js";
import { createWorkerPool } from "./worker-pool.js";

type AnalyzerTask = { code: string; hang?: boolean; exit?: boolean };
const AnalyzerAgent = workerKind<AnalyzerTask, { lines: number }>(new URL("./fixtures/analyzer.ts", import.meta.url));
const ShouterAgent = workerKind<{ text: string }, string>(new URL("./fixtures/shouter.ts", import.meta.url));

const template = (id: string, role: string): AgentTemplate => ({
  schemaVersion: 1,
  id,
  version: "1.0.0",
  name: id,
  role,
  description: "A worker-backed agent.",
  config: { timeoutMs: 30_000, maxRetries: 0 },
  metadata: { tier: "development" },
});

// Signatures are the trust tests' subject; these tests are about the factory's pool.
const trust = trustPolicy({ version: 1, keys: [], requireSignatures: false });
const source = () => memorySource([template("code/analyzer", "analyzer"), template("text/shouter", "shouter")]);
const kinds = { analyzer: AnalyzerAgent, shouter: ShouterAgent };
const cleanup: (() => Promise<void>)[] = [];

afterAll(async () => {
  for (const step of cleanup.splice(0)) await step();
  await AnalyzerAgent.close();
  await ShouterAgent.close();
});

test("worker-backed kinds run on the pool the factory creates from options, and close() closes it", async () => {
  const factory = createAgentFactory({ source: source(), trust, kinds, pool: { maxThreads: 2 } });
  cleanup.push(() => factory.close());
  expect((await factory.health()).components.find((part) => part.name === "pool")).toMatchObject({
    status: "healthy",
    detail: { started: false },
  });
  const analyzer = await factory.create("code/analyzer", { kind: "analyzer" });
  expect(analyzer).toBeInstanceOf(AnalyzerAgent);
  expect(await analyzer.run({ code: "a\nb" })).toMatchObject({ lines: 2, templateId: "code/analyzer" });
  expect(await (await factory.create("text/shouter", { kind: "shouter" })).run({ text: "hi" })).toBe("HI");

  const pool = (await factory.health()).components.find((part) => part.name === "pool");
  expect(pool).toMatchObject({ status: "healthy", detail: { name: "agents", maxThreads: 2 } });
  expect(pool?.detail?.threads).toBeGreaterThanOrEqual(1);
  // The kinds did not start pools of their own: one bounded set of threads serves both.
  expect(AnalyzerAgent.pool.stats().completed).toBe(0);
  await factory.close();
  expect((await factory.health()).components.find((part) => part.name === "pool")).toMatchObject({
    status: "unhealthy",
    reason: "the pool is closed",
  });
});

test("a host-owned agent pool is shared by factories and left open by factory.close()", async () => {
  const pool = createAgentPool({ maxThreads: 1 });
  cleanup.push(() => pool.close({ force: true }));
  const first = createAgentFactory({ source: source(), trust, kinds, pool });
  const second = createAgentFactory({ source: source(), trust, kinds, pool });
  expect(await (await first.create("text/shouter", { kind: "shouter" })).run({ text: "a" })).toBe("A");
  expect(await (await second.create("code/analyzer", { kind: "analyzer" })).run({ code: "x" })).toMatchObject({
    lines: 1,
  });
  expect(pool.stats().completed).toBe(2);
  await first.close();
  expect(await (await second.create("text/shouter", { kind: "shouter" })).run({ text: "b" })).toBe("B");
  await second.close();
  expect(pool.stats().closed).toBe(false);
});

test("factory.health() reports a saturated queue and worker crashes as degraded, with reasons", async () => {
  const pool = createAgentPool({ maxThreads: 1, minThreads: 1, maxQueue: 2 });
  cleanup.push(() => pool.close({ force: true }));
  const factory = createAgentFactory({ source: source(), trust, kinds, pool });
  cleanup.push(() => factory.close());
  const agents = await Promise.all([1, 2, 3].map(() => factory.create("code/analyzer", { kind: "analyzer" })));
  const stuck = agents.map((agent) => agent.run({ code: "x", hang: true }).catch((error: unknown) => error));
  await vi.waitFor(() => expect(pool.stats().queued).toBe(2), { timeout: 10_000 });
  const saturated = await factory.health();
  expect(saturated.status).toBe("degraded");
  expect(saturated.components.find((part) => part.name === "pool")?.reason).toMatch(/queue saturated: 2 of 2/);
  for (const agent of agents) agent.dispose();
  await Promise.all(stuck);

  const crash = await (await factory.create("code/analyzer", { kind: "analyzer" }))
    .run({ code: "x", exit: true })
    .catch((error) => error);
  expect(NextGenError.is(crash)).toBe(true);
  const crashed = (await factory.health()).components.find((part) => part.name === "pool");
  expect(crashed).toMatchObject({ status: "degraded" });
  expect(crashed?.reason).toMatch(/1 task\(s\) lost to worker crashes/);
  // Crashes count since the previous check: the next one is healthy again.
  expect((await factory.health()).components.find((part) => part.name === "pool")?.status).toBe("healthy");
});

test("a kind that brings its own pool keeps it", async () => {
  const Own = workerKind<{ text: string }, string>(new URL("./fixtures/shouter.ts", import.meta.url), {
    pool: { maxThreads: 1 },
  });
  cleanup.push(() => Own.close());
  const pool = createAgentPool({ maxThreads: 1 });
  cleanup.push(() => pool.close({ force: true }));
  const factory = createAgentFactory({ source: source(), trust, kinds: { shouter: Own }, pool });
  cleanup.push(() => factory.close());
  expect(await (await factory.create("text/shouter", { kind: "shouter" })).run({ text: "own" })).toBe("OWN");
  expect(Own.pool.stats().completed).toBe(1);
  expect(pool.stats().completed).toBe(0);
});

test("bad pool options throw NG_ERR_OPTIONS_INVALID naming options.pool", () => {
  const attempt = (pool: unknown) => () => createAgentFactory({ source: source(), trust, kinds, pool: pool as never });
  expect(attempt({ maxThreads: 0 })).toThrow(expect.objectContaining({ option: "options.pool.maxThreads" }));
  expect(attempt("auto")).toThrow(expect.objectContaining({ option: "options.pool" }));
  const single = createWorkerPool({ filename: new URL("./fixtures/shouter.ts", import.meta.url), minThreads: 0 });
  cleanup.push(() => single.close());
  expect(attempt(single)).toThrow(expect.objectContaining({ option: "options.pool" }));
});

test("kinds on pools of their own are reported as pool:<kind> (started or not)", async () => {
  const Own = workerKind<{ text: string }, string>(new URL("./fixtures/shouter.ts", import.meta.url), {
    pool: { maxThreads: 1 },
  });
  cleanup.push(() => Own.close());
  // No factory pool: each worker-backed kind runs (and is reported) on its own.
  const factory = createAgentFactory({ source: source(), trust, kinds: { shouter: Own } });
  cleanup.push(() => factory.close());
  const before = await factory.health();
  expect(before.components.find((part) => part.name === "pool:shouter")).toMatchObject({
    status: "healthy",
    detail: { started: false },
  });
  expect(await (await factory.create("text/shouter", { kind: "shouter" })).run({ text: "x" })).toBe("X");
  const after = (await factory.health()).components.find((part) => part.name === "pool:shouter");
  expect(after).toMatchObject({ status: "healthy", detail: { completed: 1, maxThreads: 1 } });
  expect(before.components.some((part) => part.name === "pool")).toBe(false);
});

test("a kind given an agent pool directly runs on it, alongside other kinds", async () => {
  const pool = createAgentPool({ maxThreads: 1 });
  cleanup.push(() => pool.close({ force: true }));
  const Shouter = workerKind<{ text: string }, string>(new URL("./fixtures/shouter.ts", import.meta.url), { pool });
  const Analyzer = workerKind<AnalyzerTask, { lines: number }>(new URL("./fixtures/analyzer.ts", import.meta.url), {
    pool,
  });
  const factory = createAgentFactory({ source: source(), trust, kinds: { shouter: Shouter, analyzer: Analyzer } });
  cleanup.push(() => factory.close());
  expect(await (await factory.create("text/shouter", { kind: "shouter" })).run({ text: "y" })).toBe("Y");
  expect(await (await factory.create("code/analyzer", { kind: "analyzer" })).run({ code: "1\n2" })).toMatchObject({
    lines: 2,
  });
  expect(pool.stats().completed).toBe(2);
});
