import diagnosticsChannel from "node:diagnostics_channel";
import { afterAll, expect, test } from "vitest";
import { AGENT_RUN_CHANNEL } from "../diagnostics/channels.js";
import type { AgentRunContext } from "../diagnostics/payloads.js";
import { createAgentFactory } from "../factory/create-agent-factory.js";
import { memorySource } from "../source/memory-source.js";
import type { AgentTemplate } from "../template/types.js";
import { trustPolicy } from "../trust/trust-policy.js";
import { workerKind } from "./worker-kind.js";

type Task = { code: string; failUntilAttempt?: number; hang?: boolean };

const AnalyzerAgent = workerKind<Task, Record<string, unknown>>(new URL("./fixtures/analyzer.ts", import.meta.url), {
  pool: { maxThreads: 2 },
});

const template = (id: string, config: AgentTemplate["config"]): AgentTemplate => ({
  schemaVersion: 1,
  id,
  version: "1.0.0",
  name: "Code analyzer",
  role: "analyzer",
  description: "Counts lines in a worker thread.",
  config,
  metadata: { tier: "development" },
});

const factory = createAgentFactory({
  source: memorySource([
    template("code/analyzer", { model: "gpt-4o", timeoutMs: 10_000, maxRetries: 2 }),
    template("code/slow", { timeoutMs: 200, maxRetries: 0 }),
  ]),
  kinds: { analyzer: AnalyzerAgent },
  // Signatures are the trust tests' subject; this test is about the data plane.
  trust: trustPolicy({ version: 1, keys: [], requireSignatures: false }),
});

afterAll(async () => {
  await factory.close();
  await AnalyzerAgent.close();
});

test("a worker-backed agent created from a template runs its task in the pool", async () => {
  const agent = await factory.create("code/analyzer");
  expect(agent).toBeInstanceOf(AnalyzerAgent);
  expect(await agent.run({ code: "a\nb\nc" })).toEqual({
    lines: 3,
    templateId: "code/analyzer",
    model: "gpt-4o",
    attempt: 1,
    traced: false,
  });
  expect(AnalyzerAgent.pool.stats().completed).toBeGreaterThanOrEqual(1);
});

test("the template's maxRetries retries a task that failed in the worker", async () => {
  const agent = await factory.create("code/analyzer");
  expect(await agent.run({ code: "x", failUntilAttempt: 3 })).toMatchObject({ attempt: 3 });
});

test("the template's timeoutMs ends a stuck attempt and the pool replaces that worker", async () => {
  const agent = await factory.create("code/slow");
  const error = await agent.run({ code: "x", hang: true }).then(
    () => undefined,
    (reason: unknown) => reason as { code?: string },
  );
  expect(error?.code).toBe("NG_ERR_AGENT_TIMEOUT");
  const next = await factory.create("code/analyzer");
  expect(await next.run({ code: "ok" })).toMatchObject({ lines: 1 });
});

test("the agent run's trace context crosses into the worker", async () => {
  const channel = diagnosticsChannel.tracingChannel<unknown, AgentRunContext>(AGENT_RUN_CHANNEL);
  const handlers = {
    start(context: AgentRunContext) {
      context.traceCarrier = { traceparent: "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01" };
    },
  };
  channel.subscribe(handlers as never);
  try {
    const agent = await factory.create("code/analyzer");
    expect(await agent.run({ code: "x" })).toMatchObject({ traced: true });
  } finally {
    channel.unsubscribe(handlers as never);
  }
});
