import { subscribe, unsubscribe } from "node:diagnostics_channel";
import { describe, expect, it } from "vitest";
import type { AuditEvent } from "../diagnostics/payloads.js";
import { NextGenError } from "../errors/next-gen-error.js";
import { memorySource } from "../source/memory-source.js";
import type { TemplateSource } from "../source/template-source.js";
import { toolRegistry } from "../tools/tool-registry.js";
import { trustPolicy } from "../trust/trust-policy.js";
import { createAgentFactory } from "./create-agent-factory.js";
import { sharedColdCreates } from "./shared-cold-create.js";
import { SpecialistAgent, templates, tools } from "./test-kinds.js";

const unsigned = trustPolicy({ version: 1, keys: [], requireSignatures: false });
const codeOf = (result: PromiseSettledResult<unknown>): string | undefined =>
  result.status === "rejected" && NextGenError.is(result.reason) ? result.reason.code : undefined;

/** A source whose reads wait for `release()`, counting them. */
function gatedSource(inner: TemplateSource): TemplateSource & { gets: number; release(): void } {
  let open: () => void = () => undefined;
  const gate = new Promise<void>((resolve) => {
    open = resolve;
  });
  const gated = {
    name: inner.name,
    gets: 0,
    list: (options?: Parameters<TemplateSource["list"]>[0]) => inner.list(options),
    get: async (...args: Parameters<TemplateSource["get"]>) => {
      gated.gets++;
      await gate;
      return inner.get(...args);
    },
    release: () => open(),
  };
  return gated;
}

const make = (source: TemplateSource) =>
  createAgentFactory({ source, kinds: { specialist: SpecialistAgent }, tools: toolRegistry(tools), trust: unsigned });

describe("concurrent cold creates of one template", () => {
  it("share the first create's load and each get their own agent of the same template", async () => {
    const source = gatedSource(memorySource(templates));
    const factory = make(source);
    const creates = Array.from({ length: 50 }, () => factory.create("security/auditor"));
    source.release();
    const agents = await Promise.all(creates);
    expect(source.gets).toBe(2); // the leaf and its parent, once
    expect(new Set(agents.map((agent) => agent.id)).size).toBe(50);
    expect(new Set(agents.map((agent) => agent.template)).size).toBe(1);
    for (const agent of agents) expect(agent).toBeInstanceOf(SpecialistAgent);
    await factory.close();
  });

  it("all fail with the first one's error, and each refusal is published", async () => {
    const source = gatedSource(memorySource(templates));
    const factory = make(source);
    const events: AuditEvent[] = [];
    const onAudit = (event: unknown): void => {
      events.push(event as AuditEvent);
    };
    subscribe("nextgen:audit", onAudit);
    try {
      const creates = Array.from({ length: 5 }, () => factory.create("nobody/here"));
      source.release();
      const settled = await Promise.allSettled(creates);
      expect(settled.map(codeOf)).toEqual(Array(5).fill("NG_ERR_TEMPLATE_NOT_FOUND"));
      expect(source.gets).toBe(1);
      const refusals = events.filter((event) => event.type === "agent.create" && event.templateId === "nobody/here");
      expect(refusals).toHaveLength(5);
    } finally {
      unsubscribe("nextgen:audit", onAudit);
    }
    await factory.close();
  });

  it("are refused with NG_ERR_FACTORY_CLOSED when the factory closes while the first one loads", async () => {
    const source = gatedSource(memorySource(templates));
    const factory = make(source);
    const creates = Array.from({ length: 5 }, () => factory.create("security/auditor"));
    const closing = factory.close();
    source.release();
    const settled = await Promise.allSettled(creates);
    expect(settled.map(codeOf)).toEqual(Array(5).fill("NG_ERR_FACTORY_CLOSED"));
    await closing;
  });

  it("start over once the first one settled", async () => {
    const shared = sharedColdCreates<string>();
    let warm: string | undefined;
    const first = shared.lead(
      "a",
      async () => "agent",
      () => warm,
    );
    expect(shared.joining("a")).toBeDefined();
    expect(shared.joining("b")).toBeUndefined();
    warm = "binding";
    await expect(shared.joining("a")).resolves.toBe("binding");
    await first;
    expect(shared.joining("a")).toBeUndefined();
    const failed = shared.lead(
      "a",
      () => Promise.reject(new Error("boom")),
      () => warm,
    );
    const joined = shared.joining("a");
    await expect(failed).rejects.toThrow("boom");
    await expect(joined).rejects.toThrow("boom");
    expect(shared.joining("a")).toBeUndefined();
  });
});
