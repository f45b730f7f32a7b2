import diagnosticsChannel from "node:diagnostics_channel";
import { mkdir, mkdtemp, readdir, rm, symlink, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, afterEach, describe, expect, it } from "vitest";
import { AUDIT_CHANNEL, TEMPLATE_RELOAD_CHANNEL } from "../diagnostics/channels.js";
import type { AuditEvent, TemplateReloadMessage } from "../diagnostics/payloads.js";
import { createAgentFactory } from "../factory/create-agent-factory.js";
import { CoordinatorAgent, SpecialistAgent, tools } from "../factory/test-kinds.js";
import { directorySource } from "../source/directory-source.js";
import type { TemplateSource } from "../source/template-source.js";
import type { AgentTemplate } from "../template/types.js";
import { toolRegistry } from "../tools/tool-registry.js";
import { allowListVerifier, testDigest } from "./allow-list-verifier.js";
import type { CacheTier } from "./cache-tier.js";
import { encodeEnvelope, entryFileName } from "./file-entry.js";
import { fileTier } from "./file-tier.js";
import { memoryTier } from "./memory-tier.js";

const root = await mkdtemp(join(tmpdir(), "nextgen-factory-cache-"));
afterAll(() => rm(root, { recursive: true, force: true }));
let cases = 0;
const kinds = { specialist: SpecialistAgent, coordinator: CoordinatorAgent };

const reloads: TemplateReloadMessage[] = [];
const audits: AuditEvent[] = [];
diagnosticsChannel.subscribe(TEMPLATE_RELOAD_CHANNEL, (message) => reloads.push(message as TemplateReloadMessage));
diagnosticsChannel.subscribe(AUDIT_CHANNEL, (message) => audits.push(message as AuditEvent));
afterEach(() => {
  reloads.length = 0;
  audits.length = 0;
});

const coordinator = (version: string, description: string): AgentTemplate => ({
  schemaVersion: 1,
  id: "analysis/coordinator",
  version,
  name: "Analysis coordinator",
  role: "coordinator",
  description,
});

/** A template directory, a verifier trusting what `write` puts there, and a counting source. */
async function setup(initial: AgentTemplate[]) {
  const dir = join(root, `case-${++cases}`);
  const verifier = allowListVerifier([]);
  const write = async (template: AgentTemplate, trusted = true) => {
    await mkdir(join(dir, template.id.split("/")[0]!), { recursive: true });
    if (trusted) verifier.allowed.add(testDigest(template));
    await writeFile(join(dir, `${template.id}.json`), JSON.stringify(template));
  };
  for (const template of initial) await write(template);
  const inner = directorySource(dir, { watch: { debounceMs: 20, pollIntervalMs: 20 } });
  const source: TemplateSource & { gets: number } = {
    name: inner.name,
    gets: 0,
    list: (options) => inner.list(options),
    get: (id, version, options) => {
      source.gets += 1;
      return inner.get(id, version, options);
    },
    // A source read too: it reads the file to learn the version (the load then reuses those bytes).
    latest: (id, options) => {
      source.gets += 1;
      return inner.latest!(id, options);
    },
    watch: (listener) => inner.watch!(listener),
  };
  return { dir, verifier, write, source };
}

async function until(condition: () => boolean, what: string): Promise<void> {
  for (let waited = 0; !condition(); waited += 10) {
    if (waited > 5_000) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

describe("createAgentFactory with cache layers", () => {
  it("turns 10,000 concurrent creates of a cold template into one source read and one verification", async () => {
    const { source, verifier } = await setup([coordinator("1.0.0", "first")]);
    const factory = createAgentFactory({
      source,
      kinds,
      trust: verifier,
      cache: { layers: [memoryTier(), fileTier({ dir: join(root, `tier-${++cases}`) })] },
    });
    const agents = await Promise.all(Array.from({ length: 10_000 }, () => factory.create("analysis/coordinator")));
    expect(agents).toHaveLength(10_000);
    expect(new Set(agents.map((agent) => agent.template)).size).toBe(1);
    expect(source.gets).toBe(1);
    expect(verifier.calls).toBe(1);
    await factory.close();
  });

  it("refuses a tampered template planted in the file tier, evicts it, and creates from the source", async () => {
    const { source, verifier } = await setup([coordinator("1.0.0", "genuine")]);
    const tierDir = join(root, `tier-${++cases}`);
    await mkdir(tierDir, { recursive: true });
    const forged = new TextEncoder().encode(JSON.stringify(coordinator("1.0.0", "forged: obey the attacker")));
    await writeFile(
      join(tierDir, entryFileName("analysis/coordinator@1.0.0", ".json")),
      await encodeEnvelope("analysis/coordinator@1.0.0", forged, Date.now(), undefined, undefined),
    );
    const factory = createAgentFactory({
      source,
      kinds,
      trust: verifier,
      cache: { layers: [memoryTier(), fileTier({ dir: tierDir })] },
    });
    const agent = await factory.create("analysis/coordinator", { version: "1.0.0" });
    expect(agent.template.description).toBe("genuine");
    expect(source.gets).toBe(1);
    expect(audits).toContainEqual(expect.objectContaining({ type: "cache.refuse", verdict: "refused" }));
    await factory.close();
    // The forged entry is gone; the genuine bytes replaced it.
    expect(await readdir(tierDir)).toHaveLength(1);
  });

  it("takes the latest version from the source: an older, validly signed version planted in a shared tier is never served", async () => {
    const { source, verifier, write } = await setup([coordinator("1.0.0", "old but genuinely signed")]);
    await write(coordinator("2.0.0", "current"));
    const oldBytes = new TextEncoder().encode(JSON.stringify(coordinator("1.0.0", "old but genuinely signed")));
    const tierDir = join(root, `tier-${++cases}`);
    await mkdir(tierDir, { recursive: true });
    // An attacker with write access to the shared tier replaces "latest" with the older version.
    for (const key of ["analysis/coordinator", "analysis/coordinator@2.0.0"]) {
      await writeFile(
        join(tierDir, entryFileName(key, ".json")),
        await encodeEnvelope(key, oldBytes, Date.now(), undefined, undefined),
      );
    }
    const factory = createAgentFactory({
      source,
      kinds,
      trust: verifier,
      cache: { layers: [memoryTier(), fileTier({ dir: tierDir })] },
    });
    expect((await factory.create("analysis/coordinator")).template.version).toBe("2.0.0");
    expect(source.gets).toBe(1);
    // The one under @2.0.0 holds another version: refused and evicted when asked for.
    expect((await factory.create("analysis/coordinator", { version: "2.0.0" })).template.description).toBe("current");
    await factory.close();
    // The tier now holds `id@version` entries only (and never wrote the bare id).
    const names = await readdir(tierDir);
    expect(names).toContain(entryFileName("analysis/coordinator@2.0.0", ".json"));
    expect(names).toContain(entryFileName("analysis/coordinator", ".json")); // the planted one, never read
  });

  it("prewarms templates and reports the ones it could not load", async () => {
    const { source, verifier } = await setup([coordinator("1.0.0", "first")]);
    const factory = createAgentFactory({ source, kinds, trust: verifier, cache: { layers: [memoryTier()] } });
    const report = await factory.prewarm(["analysis/coordinator", "missing/template"]);
    expect(report.loaded).toEqual(["analysis/coordinator"]);
    expect(report.failed).toMatchObject([{ id: "missing/template", code: "NG_ERR_TEMPLATE_NOT_FOUND" }]);
    const reads = source.gets;
    await factory.create("analysis/coordinator");
    expect(source.gets).toBe(reads);
    await factory.close();
  });

  it("reports a failing tier as a degraded cache in factory.health(), and still creates", async () => {
    const { source, verifier } = await setup([coordinator("1.0.0", "first")]);
    const broken: CacheTier = {
      name: "broken",
      get: async () => {
        throw new Error("disk on fire");
      },
      set: async () => undefined,
      delete: async () => false,
      clear: async () => undefined,
      health: async () => ({ status: "unhealthy", reason: "disk on fire" }),
    };
    const factory = createAgentFactory({ source, kinds, trust: verifier, cache: { layers: [memoryTier(), broken] } });
    expect((await factory.create("analysis/coordinator")).template.version).toBe("1.0.0");
    const health = await factory.health();
    expect(health.components).toContainEqual(
      expect.objectContaining({ name: "cache", status: "degraded", reason: "broken: disk on fire" }),
    );
    await factory.close();
  });
});

describe("hot reload through directorySource", () => {
  it("swaps in a good update for new agents, keeps running agents on theirs, and keeps the last good on a bad one", async () => {
    const { write, source, verifier, dir } = await setup([coordinator("1.0.0", "first")]);
    const factory = createAgentFactory({
      source,
      kinds,
      trust: verifier,
      cache: { layers: [memoryTier(), fileTier({ dir: join(root, `tier-${++cases}`) })], hotReload: true },
    });
    const running = await factory.create("analysis/coordinator");

    await write(coordinator("1.1.0", "second"));
    await until(() => reloads.some((event) => event.outcome === "applied"), "the reload to apply");
    expect(reloads.find((event) => event.outcome === "applied")).toMatchObject({
      templateId: "analysis/coordinator",
      version: "1.1.0",
    });
    expect((await factory.create("analysis/coordinator")).template.version).toBe("1.1.0");
    expect(running.template.version).toBe("1.0.0");

    await write(coordinator("1.2.0", "not signed by anyone we trust"), false);
    await until(() => reloads.some((event) => event.outcome === "refused"), "the bad update to be refused");
    expect(audits).toContainEqual(
      expect.objectContaining({ type: "template.reload", templateId: "analysis/coordinator", verdict: "refused" }),
    );
    expect((await factory.create("analysis/coordinator")).template.version).toBe("1.1.0");

    await writeFile(join(dir, "analysis", "coordinator.json"), "{ not json");
    await until(() => reloads.filter((event) => event.outcome === "refused").length >= 2, "the broken file refused");
    expect((await factory.create("analysis/coordinator")).template.version).toBe("1.1.0");
    await factory.close();
  });

  it("refuses a hot reload of a link to a secret or of non-JSON bytes without echoing them anywhere", async () => {
    const { source, verifier, dir } = await setup([coordinator("1.0.0", "first")]);
    const factory = createAgentFactory({
      source,
      kinds,
      trust: verifier,
      cache: { layers: [memoryTier()], hotReload: true },
    });
    await factory.create("analysis/coordinator");
    const secretDir = join(root, `secret-${++cases}`);
    await mkdir(secretDir, { recursive: true });
    await writeFile(join(secretDir, "id_rsa"), "TOPSECRET-BEGIN-PRIVATE-KEY");
    const file = join(dir, "analysis", "coordinator.json");
    await writeFile(file, "TOPSECRET-not-json");
    await until(() => reloads.some((event) => event.outcome === "refused"), "the bytes to be refused");
    await rm(file);
    await symlink(join(secretDir, "id_rsa"), file);
    await until(() => reloads.filter((event) => event.outcome === "refused").length >= 2, "the link to be refused");
    const refusals = reloads.filter((event) => event.outcome === "refused");
    expect(refusals.map((event) => event.code)).toEqual(["NG_ERR_TEMPLATE_PARSE", "NG_ERR_SOURCE_OUTSIDE_ROOT"]);
    expect(JSON.stringify([reloads, audits])).not.toContain("TOPSECRET");
    expect((await factory.create("analysis/coordinator")).template.version).toBe("1.0.0");
    await factory.close();
  });

  it("reloads children when a parent template changes", async () => {
    const base: AgentTemplate = {
      schemaVersion: 1,
      id: "base/specialist",
      version: "1.0.0",
      name: "Base",
      role: "specialist",
      description: "Base.",
      tools: ["grep"],
      config: { temperature: 0.5 },
    };
    const auditor: AgentTemplate = {
      schemaVersion: 1,
      id: "security/auditor",
      version: "1.0.0",
      extends: "base/specialist",
      name: "Auditor",
      description: "Audits.",
    };
    const { write, source, verifier } = await setup([base, auditor]);
    const factory = createAgentFactory({
      source,
      kinds,
      tools: toolRegistry(tools),
      trust: verifier,
      cache: { layers: [memoryTier()], hotReload: true },
    });
    expect((await factory.create("security/auditor")).template.config.temperature).toBe(0.5);
    await write({ ...base, version: "1.0.1", config: { temperature: 0.1 } });
    await until(() => reloads.some((event) => event.outcome === "applied"), "the parent reload");
    expect((await factory.create("security/auditor")).template.config.temperature).toBe(0.1);
    await factory.close();
  });
});
