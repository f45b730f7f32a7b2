import { afterEach, describe, expect, it } from "vitest";
import { NextGenError } from "../errors/next-gen-error.js";
import { createAgentFactory } from "../factory/create-agent-factory.js";
import { CoordinatorAgent, SpecialistAgent, templates, tools } from "../factory/test-kinds.js";
import { memorySource } from "../source/memory-source.js";
import type { TemplateSource } from "../source/template-source.js";
import { toolRegistry } from "../tools/tool-registry.js";
import { allowListVerifier, testDigest } from "./allow-list-verifier.js";
import type { CacheTier } from "./cache-tier.js";
import {
  type InvalidationBus,
  type InvalidationMessage,
  isInvalidationMessage,
  MAX_INVALIDATION_KEYS,
  memoryInvalidationBus,
} from "./invalidation-bus.js";
import { memoryTier } from "./memory-tier.js";

// Issue 11 item 15: a forged invalidation must not cause work or growth proportional to
// what it names, and invalid ids never reach the bookkeeping.
const closers: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const close of closers.splice(0)) await close();
});

/** A byte tier (no getObject, so below L1) that counts deletes. */
function countingTier(): CacheTier & { deletes: number } {
  const inner = memoryTier({ name: "shared" });
  const tier = {
    name: "shared",
    deletes: 0,
    get: inner.get,
    set: inner.set,
    clear: inner.clear,
    delete: async (key: string) => {
      tier.deletes += 1;
      return inner.delete(key);
    },
  };
  return tier;
}

function countingSource(): TemplateSource & { gets: number } {
  const inner = memorySource(templates);
  const source = {
    name: inner.name,
    gets: 0,
    list: inner.list,
    get: (...args: Parameters<TemplateSource["get"]>) => {
      source.gets += 1;
      return inner.get(...args);
    },
  };
  return source;
}

function factoryOn(bus: InvalidationBus) {
  const source = countingSource();
  const shared = countingTier();
  const factory = createAgentFactory({
    source,
    trust: allowListVerifier(templates.map(testDigest)),
    kinds: { specialist: SpecialistAgent, coordinator: CoordinatorAgent },
    tools: toolRegistry(tools),
    cache: { layers: [memoryTier(), shared], bus },
  });
  closers.push(() => factory.close());
  return { factory, source, shared };
}

const forge = (keys: string[], extra: Partial<InvalidationMessage> = {}): InvalidationMessage => ({
  keys,
  reason: "updated",
  origin: "attacker",
  ...extra,
});

describe("invalidation bus hardening", () => {
  it("ignores a forged message naming 20,000 keys: no tier deletes, the warm template stays", async () => {
    const bus = memoryInvalidationBus();
    const { factory, source, shared } = factoryOn(bus);
    const first = await factory.create("analysis/coordinator");
    const reads = source.gets;
    await bus.publish(forge(Array.from({ length: 20_000 }, (_, index) => `x/k${index}`)));
    await bus.publish(forge(Array.from({ length: 999 }, (_, index) => `x/k${index}@1.0.0`)));
    await new Promise((resolve) => setImmediate(resolve));
    expect(shared.deletes).toBe(0);
    expect((await factory.create("analysis/coordinator")).template).toBe(first.template);
    expect(source.gets).toBe(reads);
  });

  it("acts only on the keys this instance loaded, among many it never did", async () => {
    const bus = memoryInvalidationBus();
    const { factory, source, shared } = factoryOn(bus);
    await factory.create("analysis/coordinator");
    const reads = source.gets;
    const keys = [...Array.from({ length: 500 }, (_, index) => `x/k${index}`), "analysis/coordinator"];
    await bus.publish(forge(keys));
    await new Promise((resolve) => setImmediate(resolve));
    expect(shared.deletes).toBeLessThanOrEqual(2); // the id and its `id@version`, nothing else
    await factory.create("analysis/coordinator");
    expect(source.gets).toBe(reads + 1);
  });

  it("drops malformed messages before looking at them", async () => {
    expect(isInvalidationMessage(forge(["a/b"]))).toBe(true);
    expect(isInvalidationMessage(forge(Array.from({ length: MAX_INVALIDATION_KEYS + 1 }, () => "a/b")))).toBe(false);
    expect(isInvalidationMessage(forge(["x".repeat(513)]))).toBe(false);
    expect(isInvalidationMessage({ ...forge(["a/b"]), reason: "pwned" })).toBe(false);
    expect(isInvalidationMessage({ ...forge([]), keys: [1, 2] })).toBe(false);
    expect(isInvalidationMessage(null)).toBe(false);
    const bus = memoryInvalidationBus();
    const { factory, shared } = factoryOn(bus);
    await factory.create("analysis/coordinator");
    await bus.publish({ keys: "analysis/coordinator", reason: "updated", origin: "x" } as never);
    await bus.publish(forge(["analysis/coordinator"], { all: "yes" as never }));
    await new Promise((resolve) => setImmediate(resolve));
    expect(shared.deletes).toBe(0);
  });

  it("refuses creates of invalid ids before any bookkeeping or source read", async () => {
    const bus = memoryInvalidationBus();
    const { factory, source } = factoryOn(bus);
    for (let index = 0; index < 2_000; index += 1) {
      const error = await factory.create(`../Bad Id ${index}`).catch((caught: unknown) => caught);
      expect(NextGenError.is(error, "NG_ERR_SOURCE_ID_INVALID")).toBe(true);
    }
    expect(source.gets).toBe(0);
  });
});
