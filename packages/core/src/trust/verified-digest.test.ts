import { describe, expect, it } from "vitest";
import { templateDigest } from "../canonical/template-digest.js";
import { createAgentFactory } from "../factory/create-agent-factory.js";
import { SpecialistAgent, templates, tools } from "../factory/test-kinds.js";
import { memorySource } from "../source/memory-source.js";
import { deepFreeze } from "../template/merge-layer.js";
import { toolRegistry } from "../tools/tool-registry.js";
import { memoryStateStore } from "./memory-state-store.js";
import { signTemplate } from "./sign-template.js";
import { fixedClock, makeTestKey, sampleTemplate } from "./test-fixtures.js";
import { trustPolicy } from "./trust-policy.js";
import { noteVerifiedDigest, verifiedDigestOf } from "./verified-digest.js";

const key = makeTestKey("release");
const clock = fixedClock();
const policy = () => trustPolicy({ version: 1, keys: [key.publicJwk] }, { clock, stateStore: memoryStateStore() });

describe("the digest a verification computed", () => {
  it("is kept for a frozen template, and equals templateDigest", async () => {
    const signed = deepFreeze(await signTemplate(sampleTemplate(), key.signer, { clock }));
    const verified = await policy().verify(signed);
    expect(verifiedDigestOf(signed)).toBe(verified.digest);
    expect(verifiedDigestOf(signed)).toBe(templateDigest(signed));
  });

  it("is not kept for a template that could still change", async () => {
    const signed = await signTemplate(sampleTemplate({ version: "1.3.0" }), key.signer, { clock });
    await policy().verify(signed);
    expect(verifiedDigestOf(signed)).toBeUndefined();
    noteVerifiedDigest(signed, templateDigest(signed));
    expect(verifiedDigestOf(signed)).toBeUndefined();
  });

  it("is not kept for a refused template", async () => {
    const signed = await signTemplate(sampleTemplate({ version: "1.4.0" }), key.signer, { clock });
    const tampered = deepFreeze({ ...signed, description: "Tampered after signing." });
    await expect(policy().verify(tampered)).rejects.toThrow();
    expect(verifiedDigestOf(tampered)).toBeUndefined();
  });

  it("gives a created agent the digest of its template's canonical bytes, parents included", async () => {
    const signed = await Promise.all(templates.map((template) => signTemplate(template, key.signer, { clock })));
    const factory = createAgentFactory({
      source: memorySource(signed),
      trust: policy(),
      kinds: { specialist: SpecialistAgent },
      tools: toolRegistry(tools),
    });
    const agent = await factory.create("security/auditor");
    const byId = new Map(signed.map((template) => [template.id, template]));
    expect(agent.template.digest).toBe(templateDigest(byId.get("security/auditor")!));
    for (const link of agent.template.chain) expect(link.digest).toBe(templateDigest(byId.get(link.id)!));
    expect(agent.template.chain.length).toBeGreaterThan(1);
    await factory.close();
  });
});
