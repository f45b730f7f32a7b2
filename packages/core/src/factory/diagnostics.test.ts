import diagnosticsChannel from "node:diagnostics_channel";
import { afterEach, describe, expect, it, vi } from "vitest";
import {
  AGENT_CREATE_CHANNEL,
  AGENT_RUN_CHANNEL,
  AUDIT_CHANNEL,
  TEMPLATE_RESOLVE_CHANNEL,
} from "../diagnostics/channels.js";
import type {
  AgentCreateContext,
  AgentRunContext,
  AuditEvent,
  TemplateResolveContext,
} from "../diagnostics/payloads.js";
import { tracing } from "../diagnostics/publish.js";
import { memorySource } from "../source/memory-source.js";
import { toolRegistry } from "../tools/tool-registry.js";
import { trustPolicy } from "../trust/trust-policy.js";
import { createAgentFactory } from "./create-agent-factory.js";
import { CoordinatorAgent, SpecialistAgent, templates, tools } from "./test-kinds.js";

const unsigned = trustPolicy({ version: 1, keys: [], requireSignatures: false });

type Event = { name: string; context: Record<string, unknown> };
const cleanups: (() => void)[] = [];
afterEach(() => {
  for (const cleanup of cleanups.splice(0)) cleanup();
});

// Subscribes to a tracing channel and records every event with a snapshot of its context.
function record(channelName: string, events: Event[], onStart?: (context: Record<string, unknown>) => void): void {
  const channel = diagnosticsChannel.tracingChannel(channelName);
  const handlers = Object.fromEntries(
    ["start", "end", "asyncStart", "asyncEnd", "error"].map((name) => [
      name,
      (context: unknown) => {
        if (name === "start") onStart?.(context as Record<string, unknown>);
        events.push({ name, context: { ...(context as Record<string, unknown>) } });
      },
    ]),
  );
  channel.subscribe(handlers as never);
  cleanups.push(() => channel.unsubscribe(handlers as never));
}

const make = () =>
  createAgentFactory({
    source: memorySource(templates),
    kinds: { specialist: SpecialistAgent, coordinator: CoordinatorAgent },
    tools: toolRegistry(tools),
    trust: unsigned,
    clock: { now: () => 1_700_000_000_000 },
  });

describe("factory diagnostics", () => {
  it("traces agent.create with the resolved identity, and template.resolve on a load", async () => {
    const creates: Event[] = [];
    const resolves: Event[] = [];
    record(AGENT_CREATE_CHANNEL, creates);
    record(TEMPLATE_RESOLVE_CHANNEL, resolves);
    const factory = make();
    const agent = await factory.create("security/auditor");
    await factory.create("security/auditor");

    const done = creates
      .filter((event) => event.name === "asyncEnd")
      .map((event) => event.context as unknown as AgentCreateContext);
    expect(done).toHaveLength(2);
    expect(done[0]).toMatchObject({
      templateId: "security/auditor",
      kind: "specialist",
      instanceId: agent.id,
      agentName: "Security auditor",
      version: "2.0.0",
      digest: agent.template.digest,
      cached: false,
    });
    expect(done[1]!.cached).toBe(true);

    const resolved = resolves
      .filter((event) => event.name === "asyncEnd")
      .map((event) => event.context as unknown as TemplateResolveContext);
    expect(resolved).toHaveLength(1);
    expect(resolved[0]).toMatchObject({
      templateId: "security/auditor",
      requestedVersion: undefined,
      version: "2.0.0",
      digest: agent.template.digest,
      origin: "source",
      chain: ["security/auditor", "base/specialist"],
    });
  });

  it("traces agent.run with attempts and hands the instrumentation's trace carrier to execute", async () => {
    const runs: Event[] = [];
    record(AGENT_RUN_CHANNEL, runs, (context) => {
      context.traceCarrier = { traceparent: "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01" };
    });
    const factory = make();
    const agent = await factory.create("security/auditor");
    let seen: unknown;
    (agent as unknown as { execute: (task: string, context: { traceCarrier: unknown }) => string }).execute = (
      _task,
      context,
    ) => {
      seen = context.traceCarrier;
      return "ok";
    };
    await agent.run("t" as never);
    expect(seen).toEqual({ traceparent: "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01" });
    const end = runs.find((event) => event.name === "asyncEnd")!.context as unknown as AgentRunContext;
    expect(end).toMatchObject({
      instanceId: agent.id,
      templateId: "security/auditor",
      agentName: "Security auditor",
      version: "2.0.0",
      kind: "specialist",
      digest: agent.template.digest,
      attempts: 1,
    });
  });

  it("publishes a refused create on the audit channel with its code", async () => {
    const audits: AuditEvent[] = [];
    const listener = (message: unknown) => audits.push(message as AuditEvent);
    diagnosticsChannel.subscribe(AUDIT_CHANNEL, listener);
    cleanups.push(() => diagnosticsChannel.unsubscribe(AUDIT_CHANNEL, listener));
    const factory = createAgentFactory({
      source: memorySource(templates),
      kinds: { specialist: SpecialistAgent },
      trust: unsigned,
      clock: { now: () => 42 },
    });
    await factory.create("security/auditor").catch(() => {});
    expect(audits.filter((event) => event.type === "agent.create")).toEqual([
      {
        type: "agent.create",
        time: 42,
        templateId: "security/auditor",
        verdict: "refused",
        reason: "NG_ERR_TOOL_UNKNOWN",
        detail: { message: expect.stringContaining('"grep"') },
      },
    ]);
  });

  it("enters no tracing channel and builds no context without subscribers", async () => {
    const entered = [
      vi.spyOn(tracing.agentCreate, "tracePromise"),
      vi.spyOn(tracing.agentRun, "tracePromise"),
      vi.spyOn(tracing.templateResolve, "tracePromise"),
    ];
    cleanups.push(() => {
      for (const spy of entered) spy.mockRestore();
    });
    const factory = make();
    const agent = await factory.create("security/auditor");
    await factory.create("security/auditor", { version: "1.2.0" });
    expect(await agent.run("t" as never)).toContain("security/auditor");
    expect(entered.map((spy) => spy.mock.calls.length)).toEqual([0, 0, 0]);

    // The same calls with a subscriber do enter the channels: the spies can see it.
    const events: Event[] = [];
    record(AGENT_CREATE_CHANNEL, events);
    await factory.create("security/auditor");
    expect(entered[0]!.mock.calls.length).toBe(1);
  });
});
