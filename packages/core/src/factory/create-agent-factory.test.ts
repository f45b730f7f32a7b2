import { describe, expect, it } from "vitest";
import { NextGenError } from "../errors/next-gen-error.js";
import { memorySource } from "../source/memory-source.js";
import type { TemplateSource } from "../source/template-source.js";
import type { AgentTemplate } from "../template/types.js";
import { toolRegistry } from "../tools/tool-registry.js";
import type { TemplateVerifier } from "../trust/template-verifier.js";
import { trustPolicy } from "../trust/trust-policy.js";
import { createAgentFactory } from "./create-agent-factory.js";
import { CoordinatorAgent, SpecialistAgent, templates, tools } from "./test-kinds.js";

const kinds = { specialist: SpecialistAgent, coordinator: CoordinatorAgent };
// Signatures are the trust tests' subject; here an explicit opt-out keeps the fixtures unsigned.
const unsigned = trustPolicy({ version: 1, keys: [], requireSignatures: false });
const make = (extra: Partial<Parameters<typeof createAgentFactory>[0]> = {}, list: AgentTemplate[] = templates) =>
  createAgentFactory({ source: memorySource(list), kinds, tools: toolRegistry(tools), trust: unsigned, ...extra });
const code = (promise: Promise<unknown>) =>
  promise.then(
    () => "resolved",
    (error: unknown) => (NextGenError.is(error) ? error.code : `uncoded: ${String(error)}`),
  );

// Counts source reads, to prove caching and single-flight.
function countingSource(inner: TemplateSource): TemplateSource & { gets: number } {
  const counted = {
    name: inner.name,
    gets: 0,
    list: (options?: Parameters<TemplateSource["list"]>[0]) => inner.list(options),
    get: (...args: Parameters<TemplateSource["get"]>) => {
      counted.gets++;
      return inner.get(...args);
    },
  };
  return counted;
}

describe("createAgentFactory", () => {
  it("creates an agent of the template's role with the resolved, frozen template and its tools", async () => {
    const factory = make();
    const agent = await factory.create("security/auditor");
    expect(agent).toBeInstanceOf(SpecialistAgent);
    expect(agent.state).toBe("ready");
    expect(agent.kind).toBe("specialist");
    expect(agent.template.version).toBe("2.0.0");
    expect(agent.template.config).toMatchObject({ timeoutMs: 30_000, maxRetries: 1 });
    expect(Object.isFrozen(agent.template)).toBe(true);
    expect(agent.tools.names).toEqual(["grep", "secret-scan"]);
    expect(await (agent as SpecialistAgent).run("t")).toBe("security/auditor:t:grep,secret-scan");
  });

  it("shares one template object between instances and gives each a distinct id", async () => {
    const factory = make();
    const [a, b] = await Promise.all([factory.create("security/auditor"), factory.create("security/auditor")]);
    const c = await factory.create("security/auditor");
    expect(a.template).toBe(b.template);
    expect(c.template).toBe(a.template);
    expect(new Set([a.id, b.id, c.id]).size).toBe(3);
  });

  it("loads a template once for concurrent creates and serves the rest from cache", async () => {
    const source = countingSource(memorySource(templates));
    const factory = make({ source });
    await Promise.all(Array.from({ length: 10 }, () => factory.create("security/auditor")));
    const afterFirst = source.gets;
    expect(afterFirst).toBe(2); // the leaf and its parent, once
    await factory.create("security/auditor");
    await factory.create("security/auditor", { version: "2.0.0" });
    expect(source.gets).toBe(afterFirst);
  });

  it("creates the exact version asked for, and an explicit kind", async () => {
    const factory = make();
    const old = await factory.create("security/auditor", { version: "1.2.0" });
    expect(old.template.version).toBe("1.2.0");
    expect(old.template.config.temperature).toBe(0.2);
    const asCoordinator = await factory.create("security/auditor", { kind: "coordinator" });
    expect(asCoordinator).toBeInstanceOf(CoordinatorAgent);
    expect(await code(factory.create("security/auditor", { version: "9.0.0" }))).toBe("NG_ERR_TEMPLATE_NOT_FOUND");
    expect(await code(factory.create("nobody/here"))).toBe("NG_ERR_TEMPLATE_NOT_FOUND");
  });

  it("applies overrides to one instance without touching the cached template", async () => {
    const factory = make();
    const custom = await factory.create("security/auditor", { overrides: { config: { temperature: 0 } } });
    expect(custom.template.config.temperature).toBe(0);
    const plain = await factory.create("security/auditor");
    expect(plain.template.config.temperature).toBeUndefined();
    // Tools are not overridable by default: the trust policy refuses before the registry is asked.
    expect(await code(factory.create("security/auditor", { overrides: { tools: ["shell"] } }))).toBe(
      "NG_ERR_TRUST_OVERRIDE_REFUSED",
    );
  });

  it("refuses a template naming an unregistered tool, naming the tool and where it came from", async () => {
    const factory = make({ tools: toolRegistry({ "secret-scan": tools["secret-scan"] }) });
    const error = (await factory.create("security/auditor").catch((caught: unknown) => caught)) as NextGenError;
    expect(error.code).toBe("NG_ERR_TOOL_UNKNOWN");
    expect(error.message).toContain('"grep"');
    expect(error.message).toContain("base/specialist@1.0.0 at /tools/0");
  });

  it("refuses an unknown kind, from the role or from create", async () => {
    const factory = createAgentFactory({
      source: memorySource(templates),
      kinds: { specialist: SpecialistAgent },
      trust: unsigned,
    });
    expect(await code(factory.create("analysis/coordinator"))).toBe("NG_ERR_FACTORY_KIND_UNKNOWN");
    const error = (await factory
      .create("analysis/coordinator", { kind: "reviewer" as "specialist" })
      .catch((caught: unknown) => caught)) as Error;
    expect(error.message).toMatch(/"reviewer".*registered kinds: specialist/);
  });

  it("uses templateKinds to pick a kind by id", async () => {
    const factory = make({ templateKinds: { "security/auditor": "coordinator" } });
    expect(await factory.create("security/auditor")).toBeInstanceOf(CoordinatorAgent);
  });

  it("verifies every template of the chain before any agent is constructed", async () => {
    const verified: string[] = [];
    let constructed = 0;
    class CountingAgent extends SpecialistAgent {
      constructor(init: ConstructorParameters<typeof SpecialistAgent>[0]) {
        super(init);
        constructed++;
      }
    }
    const trust: TemplateVerifier = {
      async verify(template) {
        verified.push(template.id);
        if (template.id === "base/specialist") {
          throw new NextGenError("NG_ERR_SIGNATURE_MISSING", "base/specialist is not signed");
        }
        return { digest: "sha256:00", keyIds: [], memoized: false };
      },
    };
    const factory = make({ trust, kinds: { specialist: CountingAgent } });
    expect(await code(factory.create("security/auditor"))).toBe("NG_ERR_SIGNATURE_MISSING");
    expect(verified).toEqual(["security/auditor", "base/specialist"]);
    expect(constructed).toBe(0);
  });

  it("refuses a source that serves a template under another id", async () => {
    const base = memorySource(templates);
    const lying: TemplateSource = {
      name: "lying",
      list: () => base.list(),
      get: async (id, version) => {
        const entry = await base.get("analysis/coordinator");
        return entry && { ...entry, id, version: version ?? entry.version };
      },
    };
    expect(await code(make({ source: lying }).create("security/auditor"))).toBe("NG_ERR_SOURCE_ID_MISMATCH");
  });

  it("createMany is all or nothing", async () => {
    const factory = make();
    const agents = await factory.createMany([{ id: "security/auditor" }, { id: "analysis/coordinator" }]);
    expect(agents.map((agent) => agent.kind)).toEqual(["specialist", "coordinator"]);
    const ok = await factory.create("security/auditor", { version: "1.2.0" });
    const failure = await code(factory.createMany([{ id: "security/auditor" }, { id: "missing/one" }]));
    expect(failure).toBe("NG_ERR_TEMPLATE_NOT_FOUND");
    expect(ok.state).toBe("ready");
    expect(await code(factory.createMany(null as never))).toBe("NG_ERR_OPTIONS_INVALID");
  });

  it("rejects an aborted create with NG_ERR_AGENT_ABORTED", async () => {
    const factory = make();
    expect(await code(factory.create("security/auditor", { signal: AbortSignal.abort() }))).toBe(
      "NG_ERR_AGENT_ABORTED",
    );
  });

  it("reports health per component and closes idempotently", async () => {
    const factory = make();
    expect(await factory.health()).toEqual({
      status: "healthy",
      components: [
        { name: "source", status: "healthy", detail: { source: "memory" } },
        { name: "trust", status: "healthy", detail: { requireSignatures: false, keys: 0 } },
      ],
    });
    await factory.create("security/auditor");
    const closing = factory.close();
    expect(factory.close()).toBe(closing);
    await closing;
    expect(await code(factory.create("security/auditor"))).toBe("NG_ERR_FACTORY_CLOSED");
  });

  it("reports an unreachable source as unhealthy", async () => {
    const broken: TemplateSource = {
      name: "broken",
      list: async () => {
        throw new NextGenError("NG_ERR_SOURCE_READ", "disk gone");
      },
      get: async () => undefined,
    };
    const report = await make({ source: broken }).health();
    expect(report.status).toBe("unhealthy");
    expect(report.components[0]).toMatchObject({ name: "source", status: "unhealthy", reason: "disk gone" });
  });

  it("validates its options, naming the bad one", () => {
    const source = memorySource([]);
    const bad = (options: unknown) => () => createAgentFactory(options as never);
    expect(bad(undefined)).toThrow(/^options must/);
    expect(bad({ kinds })).toThrow(/options\.source/);
    expect(bad({ source, kinds: {} })).toThrow(/options\.kinds/);
    expect(bad({ source, kinds: { specialist: () => {} } })).toThrow(/options\.kinds\.specialist/);
    expect(bad({ source, kinds, templateKinds: { "a/b": "nope" } })).toThrow(/options\.templateKinds\["a\/b"\]/);
    expect(bad({ source, kinds, tools: { a: () => {} } })).toThrow(/options\.tools/);
    expect(bad({ source, kinds, trust: {} })).toThrow(/options\.trust/);
    // A missing policy points at the secure path first, not at the opt-out.
    expect(bad({ source, kinds })).toThrow(
      /^options\.trust must be a TemplateVerifier: a trust policy from loadTrustPolicy/,
    );
    expect(bad({ source, kinds, trust: unsigned, cache: { maxEntries: 0 } })).toThrow(/options\.cache\.maxEntries/);
    expect(bad({ source, kinds, trust: unsigned, clock: {} })).toThrow(/options\.clock/);
  });

  it("evicts the least recently used templates beyond cache.maxEntries", async () => {
    const source = countingSource(memorySource(templates));
    const factory = make({ source, cache: { maxEntries: 2 } });
    await factory.create("analysis/coordinator");
    await factory.create("security/auditor");
    const reads = source.gets;
    await factory.create("analysis/coordinator");
    expect(source.gets).toBeGreaterThan(reads);
  });
});
