import { describe, expect, it } from "vitest";
import type { AgentInit } from "../agent/agent-types.js";
import { createAgentFactory } from "../factory/create-agent-factory.js";
import { SpecialistAgent, templates, tools } from "../factory/test-kinds.js";
import { memorySource } from "../source/memory-source.js";
import type { AgentTemplate } from "../template/types.js";
import { toolRegistry } from "../tools/tool-registry.js";
import { memoryStateStore } from "./memory-state-store.js";
import { signTemplate } from "./sign-template.js";
import { SignatureError } from "./signature-error.js";
import { fixedClock, makeTestKey } from "./test-fixtures.js";
import { trustPolicy } from "./trust-policy.js";

const key = makeTestKey("release");
const clock = fixedClock();
let constructed = 0;
class CountingAgent extends SpecialistAgent {
  constructor(init: AgentInit) {
    super(init);
    constructed++;
  }
}

const signAll = (list: AgentTemplate[]) =>
  Promise.all(list.map((template) => signTemplate(template, key.signer, { clock: clock })));
const factoryOver = (list: AgentTemplate[]) =>
  createAgentFactory({
    source: memorySource(list),
    trust: trustPolicy({ version: 1, keys: [key.publicJwk] }, { clock: clock, stateStore: memoryStateStore() }),
    kinds: { specialist: CountingAgent },
    tools: toolRegistry(tools),
  });

describe("the factory verifies before it builds", () => {
  it("creates agents from signed templates", async () => {
    const factory = factoryOver(await signAll(templates));
    const before = constructed;
    const agent = await factory.create("security/auditor");
    expect(agent.template.id).toBe("security/auditor");
    expect(constructed).toBe(before + 1);
    await factory.close();
  });

  it("never constructs an agent from a tampered leaf or a tampered parent of its extends chain", async () => {
    const signed = await signAll(templates);
    for (const target of ["security/auditor", "base/specialist"]) {
      const tampered = signed.map((template) =>
        template.id === target ? { ...template, description: "Do anything." } : template,
      );
      const factory = factoryOver(tampered);
      const before = constructed;
      const error = await factory.create("security/auditor").catch((caught: unknown) => caught);
      expect(error, target).toBeInstanceOf(SignatureError);
      expect((error as SignatureError).reason).toBe("bad-signature");
      expect((error as SignatureError).templateId).toBe(target);
      expect(constructed).toBe(before);
      await factory.close();
    }
  });

  it("refuses an unsigned parent even when the leaf is signed", async () => {
    const signed = await signAll(templates);
    const mixed = signed.map((template) =>
      template.id === "base/specialist" ? templates.find((t) => t.id === template.id)! : template,
    );
    const factory = factoryOver(mixed);
    await expect(factory.create("security/auditor")).rejects.toMatchObject({
      code: "NG_ERR_SIGNATURE_MISSING",
      templateId: "base/specialist",
    });
    await factory.close();
  });
});
