import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { until } from "@nextgen/test-support";
import { afterAll, describe, expect, it } from "vitest";
import { allowListVerifier, testDigest } from "../cache/allow-list-verifier.js";
import { memoryTier } from "../cache/memory-tier.js";
import { createAgentFactory } from "../factory/create-agent-factory.js";
import { CoordinatorAgent, SpecialistAgent, templates, tools } from "../factory/test-kinds.js";
import { directorySource } from "../source/directory-source.js";
import { memorySource } from "../source/memory-source.js";
import type { AgentTemplate } from "../template/types.js";
import { toolRegistry } from "../tools/tool-registry.js";
import { memoryStateStore } from "../trust/memory-state-store.js";
import { signTemplate } from "../trust/sign-template.js";
import { fixedClock, makeTestKey } from "../trust/test-fixtures.js";
import { trustPolicy } from "../trust/trust-policy.js";
import type { AuditRecordInput, AuditSink } from "./audit-sink.js";

const root = await mkdtemp(join(tmpdir(), "nextgen-factory-audit-"));
afterAll(() => rm(root, { recursive: true, force: true }));
const kinds = { specialist: SpecialistAgent, coordinator: CoordinatorAgent };
const key = makeTestKey("release");
const clock = fixedClock();

function collectingSink(): AuditSink & { records: AuditRecordInput[] } {
  const records: AuditRecordInput[] = [];
  return { records, append: (event) => void records.push(event), close: async () => undefined };
}

async function signedFactory(list: AgentTemplate[], audit: AuditSink) {
  const signed = await Promise.all(list.map((template) => signTemplate(template, key.signer, { clock: clock })));
  return createAgentFactory({
    source: memorySource(signed),
    trust: trustPolicy({ version: 1, keys: [key.publicJwk] }, { clock: clock, stateStore: memoryStateStore() }),
    kinds,
    tools: toolRegistry(tools),
    audit,
    clock,
  });
}

describe("the factory's audit option", () => {
  it("records each verdict of the chain and every create, warm ones included, with the caller's context", async () => {
    const audit = collectingSink();
    const factory = await signedFactory(templates, audit);
    const context = { actor: "alice", traceId: "0af7651916cd43dd8448eb211c80319c" };
    const agent = await factory.create("security/auditor", { audit: context });
    await factory.create("security/auditor", { audit: context });
    await factory.create("security/auditor");
    const verdicts = audit.records.filter((record) => record.action === "trust.verify");
    expect(verdicts.map((record) => [record.resource?.split("@")[0], record.decision])).toEqual(
      expect.arrayContaining([
        ["security/auditor", "accepted"],
        ["base/specialist", "accepted"],
      ]),
    );
    expect(verdicts.every((record) => record.digest?.startsWith("sha256:") && record.reason === "keys release")).toBe(
      true,
    );
    const creates = audit.records.filter((record) => record.action === "agent.create");
    expect(creates).toHaveLength(3);
    expect(creates[0]).toMatchObject({
      ...context,
      resource: `security/auditor@${agent.template.version}`,
      decision: "succeeded",
      digest: agent.template.digest,
    });
    expect(creates[2]).toMatchObject({ actor: null, traceId: null });
    await factory.close();
  });

  it("records refused verdicts and refused creates, with the error code", async () => {
    const audit = collectingSink();
    const signed = await Promise.all(templates.map((template) => signTemplate(template, key.signer, { clock: clock })));
    const unsigned = signed.map((template) =>
      template.id === "security/auditor" ? { ...template, signatures: [] } : template,
    );
    const factory = createAgentFactory({
      source: memorySource(unsigned),
      trust: trustPolicy({ version: 1, keys: [key.publicJwk] }, { clock: clock, stateStore: memoryStateStore() }),
      kinds,
      tools: toolRegistry(tools),
      audit,
    });
    await expect(factory.create("security/auditor", { audit: { actor: "bob" } })).rejects.toMatchObject({
      code: "NG_ERR_SIGNATURE_MISSING",
    });
    await expect(factory.create("no/such")).rejects.toMatchObject({ code: "NG_ERR_TEMPLATE_NOT_FOUND" });
    expect(audit.records).toContainEqual(
      expect.objectContaining({
        action: "trust.verify",
        resource: "security/auditor@2.0.0",
        decision: "refused",
        reason: "NG_ERR_SIGNATURE_MISSING",
      }),
    );
    expect(audit.records.filter((record) => record.action === "agent.create")).toEqual([
      expect.objectContaining({
        actor: "bob",
        resource: "security/auditor",
        decision: "refused",
        reason: "NG_ERR_SIGNATURE_MISSING",
      }),
      expect.objectContaining({
        actor: null,
        resource: "no/such",
        decision: "refused",
        reason: "NG_ERR_TEMPLATE_NOT_FOUND",
      }),
    ]);
    await factory.close();
  });

  it("records a refused tool call and a refused delegation, naming the tool and the delegate", async () => {
    const audit = collectingSink();
    const factory = await signedFactory(templates, audit);
    const agent = await factory.create("security/auditor");
    await expect(agent.tools.call("shell", "rm -rf /")).rejects.toMatchObject({ code: "NG_ERR_TOOL_UNKNOWN" });
    await expect(agent.agents.create("analysis/coordinator")).rejects.toMatchObject({
      code: "NG_ERR_AGENT_DELEGATION_DENIED",
    });
    const refusals = audit.records.filter(
      (record) => record.action === "tool.call" || record.action === "agent.delegate",
    );
    expect(refusals).toEqual([
      expect.objectContaining({
        actor: "system",
        action: "tool.call",
        resource: "security/auditor@2.0.0",
        decision: "refused",
        reason: 'NG_ERR_TOOL_UNKNOWN: tool "shell"',
        digest: agent.template.digest,
        time: clock.now(),
      }),
      expect.objectContaining({
        action: "agent.delegate",
        resource: "security/auditor@2.0.0",
        decision: "refused",
        reason: 'NG_ERR_AGENT_DELEGATION_DENIED: delegate "analysis/coordinator"',
      }),
    ]);
    // A granted call is not a decision the sink hears about.
    await agent.tools.call("grep", "x");
    expect(audit.records.filter((record) => record.action === "tool.call")).toHaveLength(1);
    await factory.close();
  });

  it("never fails a create because the sink fails", async () => {
    const failing: AuditSink = {
      append: () => Promise.reject(new Error("disk full")),
      close: async () => undefined,
    };
    const throwing: AuditSink = {
      append: () => {
        throw new Error("broken sink");
      },
      close: async () => undefined,
    };
    for (const audit of [failing, throwing]) {
      const factory = await signedFactory(templates, audit);
      expect((await factory.create("security/auditor")).template.id).toBe("security/auditor");
      await factory.close();
    }
  });

  it("records hot-reload outcomes, applied and refused", async () => {
    const dir = join(root, "reload");
    await mkdir(join(dir, "analysis"), { recursive: true });
    const verifier = allowListVerifier([]);
    const write = async (template: AgentTemplate, trusted: boolean) => {
      if (trusted) verifier.allowed.add(testDigest(template));
      await writeFile(join(dir, `${template.id}.json`), JSON.stringify(template));
    };
    const coordinator = (version: string): AgentTemplate => ({
      schemaVersion: 1,
      id: "analysis/coordinator",
      version,
      name: "Coordinator",
      role: "coordinator",
      description: `version ${version}`,
    });
    await write(coordinator("1.0.0"), true);
    const audit = collectingSink();
    const factory = createAgentFactory({
      source: directorySource(dir, { watch: { debounceMs: 20, pollIntervalMs: 20 } }),
      kinds,
      trust: verifier,
      cache: { layers: [memoryTier()], hotReload: true },
      audit,
    });
    await factory.create("analysis/coordinator");
    const reloads = () => audit.records.filter((record) => record.action === "template.reload");
    const count = (decision: string) => reloads().filter((record) => record.decision === decision).length;
    await write(coordinator("1.1.0"), true);
    await until(() => count("applied") >= 1, { what: "the reload" });
    expect(reloads()).toContainEqual(
      expect.objectContaining({ actor: "system", resource: "analysis/coordinator@1.1.0", decision: "applied" }),
    );
    // (A watcher may also see a half-written file first: that is a refusal of its own.)
    const refusedBefore = count("refused");
    await write(coordinator("1.2.0"), false);
    await until(() => count("refused") > refusedBefore, { what: "the refused reload" });
    expect(reloads().at(-1)).toMatchObject({ resource: "analysis/coordinator", decision: "refused" });
    expect(
      reloads()
        .filter((record) => record.decision === "applied")
        .map((record) => record.resource),
    ).not.toContain("analysis/coordinator@1.2.0");
    await factory.close();
  });

  it("refuses an audit option that is not a sink", () => {
    expect(() =>
      createAgentFactory({
        source: memorySource([]),
        kinds,
        trust: trustPolicy({ version: 1, keys: [], requireSignatures: false }),
        audit: {} as AuditSink,
      }),
    ).toThrow(/options.audit/);
  });
});
