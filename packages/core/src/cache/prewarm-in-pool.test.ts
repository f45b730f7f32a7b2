import { afterAll, describe, expect, it } from "vitest";
import { NextGenError } from "../errors/next-gen-error.js";
import { createAgentFactory } from "../factory/create-agent-factory.js";
import { SpecialistAgent } from "../factory/test-kinds.js";
import { createAgentPool } from "../pool/agent-pool.js";
import { memorySource } from "../source/memory-source.js";
import type { TemplateSource } from "../source/template-source.js";
import type { AgentTemplate } from "../template/types.js";
import { memoryStateStore } from "../trust/memory-state-store.js";
import { signTemplate } from "../trust/sign-template.js";
import { canonicalTemplateBytes, digestOfBytes } from "../trust/template-bytes.js";
import { fixedClock, makeTestKey, sampleTemplate } from "../trust/test-fixtures.js";
import { trustPolicy } from "../trust/trust-policy.js";

const key = makeTestKey("release");
const clock = fixedClock();
const pool = createAgentPool({ maxThreads: 2 });
afterAll(() => pool.close());

const make = (id: string, version = "1.0.0"): AgentTemplate => ({ ...sampleTemplate({ id, version }), tools: [] });
const sign = (template: AgentTemplate) => signTemplate(template, key.signer, { clock });
const factoryOver = (list: AgentTemplate[], withPool = true) => {
  const policy = trustPolicy({ version: 1, keys: [key.publicJwk] }, { clock, stateStore: memoryStateStore() });
  const factory = createAgentFactory({
    source: memorySource(list),
    trust: policy,
    kinds: { specialist: SpecialistAgent },
    clock: { now: clock.now },
    ...(withPool ? { pool } : {}),
  });
  return { factory, policy };
};

describe("factory.prewarm(ids, { pool: true })", () => {
  it("parses 200 signed templates in the pool and verifies each on the main thread, with the main thread's digests and verdicts", async () => {
    const signed = await Promise.all(Array.from({ length: 200 }, (_, index) => sign(make(`bulk/t${index}`))));
    signed[7] = { ...(signed[7] as AgentTemplate), description: "Do anything." };
    const ids = signed.map((template) => template.id);
    const before = pool.stats().completed;
    const pooled = factoryOver(signed);
    const plain = factoryOver(signed, false);
    const pooledReport = await pooled.factory.prewarm(ids, { pool: true, batchSize: 32 });
    const plainReport = await plain.factory.prewarm(ids);
    expect(pooledReport).toEqual(plainReport);
    expect(pooledReport.loaded).toHaveLength(199);
    expect(pooledReport.failed).toEqual([expect.objectContaining({ id: "bulk/t7", code: "NG_ERR_SIGNATURE_BAD" })]);
    // 200 / 32 → 7 batches were parsed in the pool; every signature was checked here, by
    // the policy itself: no verdict comes back from a worker.
    expect(pool.stats().completed - before).toBe(7);
    expect(pooled.policy.cryptoOperations).toBe(200);
    expect(plain.policy.cryptoOperations).toBe(200);
    for (const template of signed.slice(0, 20)) {
      if (template.id === "bulk/t7") continue;
      const expected = digestOfBytes(canonicalTemplateBytes(template));
      const [fromPool, fromMain] = await Promise.all([
        pooled.factory.create(template.id),
        plain.factory.create(template.id),
      ]);
      expect(fromPool.template.digest).toBe(expected);
      expect(fromMain.template.digest).toBe(expected);
      expect(Object.isFrozen(fromPool.template)).toBe(true);
    }
    await Promise.all([pooled.factory.close(), plain.factory.close()]);
  });

  it("reads each template from the source once: the main thread loads the bytes and parse the pool got", async () => {
    const signed = await Promise.all(Array.from({ length: 40 }, (_, index) => sign(make(`once/t${index}`))));
    const inner = memorySource(signed);
    let reads = 0;
    const source: TemplateSource = {
      name: inner.name,
      list: (options) => inner.list(options),
      get: (...args) => {
        reads++;
        return inner.get(...args);
      },
      latest: (...args) => {
        reads++;
        return inner.latest!(...args);
      },
    };
    const policy = trustPolicy({ version: 1, keys: [key.publicJwk] }, { clock, stateStore: memoryStateStore() });
    const factory = createAgentFactory({ source, trust: policy, kinds: { specialist: SpecialistAgent }, pool });
    const report = await factory.prewarm(
      signed.map((template) => template.id),
      { pool: true, batchSize: 8 },
    );
    expect(report.loaded).toHaveLength(40);
    expect(reads).toBe(40);
    expect(policy.cryptoOperations).toBe(40);
    const agent = await factory.create("once/t3");
    expect(agent.template.digest).toBe(digestOfBytes(canonicalTemplateBytes(signed[3]!)));
    expect(reads).toBe(40);
    await factory.close();
  });

  it("still enforces rollback on the main thread", async () => {
    const list = [await sign(make("bulk/rolled", "2.0.0")), await sign(make("bulk/rolled", "1.0.0"))];
    const { factory } = factoryOver(list);
    expect((await factory.prewarm(["bulk/rolled@2.0.0"], { pool: true })).loaded).toEqual(["bulk/rolled@2.0.0"]);
    const report = await factory.prewarm(["bulk/rolled@1.0.0"], { pool: true });
    expect(report.failed).toEqual([
      expect.objectContaining({ id: "bulk/rolled@1.0.0", code: "NG_ERR_SIGNATURE_ROLLBACK" }),
    ]);
    await factory.close();
  });

  it("loads on the main thread what a pool cannot run (here: a closed pool)", async () => {
    const closed = createAgentPool({ maxThreads: 1 });
    await closed.close();
    const list = [await sign(make("bulk/closed"))];
    const policy = trustPolicy({ version: 1, keys: [key.publicJwk] }, { clock });
    const factory = createAgentFactory({
      source: memorySource(list),
      trust: policy,
      kinds: { specialist: SpecialistAgent },
      pool: closed,
    });
    expect(await factory.prewarm(["bulk/closed"], { pool: true })).toEqual({ loaded: ["bulk/closed"], failed: [] });
    expect(policy.cryptoOperations).toBe(1);
    expect(closed.stats().completed).toBe(0);
    await factory.close();
  });

  it("falls back to the main thread without a pool, and validates its options", async () => {
    const list = [await sign(make("bulk/alone"))];
    const { factory, policy } = factoryOver(list, false);
    const before = pool.stats().completed;
    expect(await factory.prewarm(["bulk/alone", "bulk/missing"], { pool: true })).toEqual({
      loaded: ["bulk/alone"],
      failed: [expect.objectContaining({ id: "bulk/missing", code: "NG_ERR_TEMPLATE_NOT_FOUND" })],
    });
    expect(policy.cryptoOperations).toBe(1);
    expect(pool.stats().completed).toBe(before);
    for (const bad of [{ pool: "yes" }, { batchSize: 0 }, { batchSize: 1.5 }]) {
      const error = await factory.prewarm([], bad as never).catch((caught: unknown) => caught);
      expect(NextGenError.is(error, "NG_ERR_OPTIONS_INVALID"), JSON.stringify(bad)).toBe(true);
    }
    await factory.close();
  });
});
