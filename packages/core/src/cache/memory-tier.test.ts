import diagnosticsChannel from "node:diagnostics_channel";
import { afterEach, describe, expect, it } from "vitest";
import { CACHE_EVICT_CHANNEL } from "../diagnostics/channels.js";
import type { CacheEvictMessage } from "../diagnostics/payloads.js";
import { NextGenError } from "../errors/next-gen-error.js";
import { testCacheTier } from "../testing/cache-tier-suite.js";
import { memoryTier } from "./memory-tier.js";
import { createTieredCache } from "./tiered-cache.js";

testCacheTier("memoryTier", ({ clock }) => memoryTier({ clock }));

describe("memoryTier", () => {
  const evictions: CacheEvictMessage[] = [];
  const onEvict = (message: unknown): void => {
    evictions.push(message as CacheEvictMessage);
  };
  diagnosticsChannel.subscribe(CACHE_EVICT_CHANNEL, onEvict);
  afterEach(() => {
    evictions.length = 0;
  });

  it("evicts the least recently used entry beyond maxEntries and reports capacity", async () => {
    const tier = memoryTier({ maxEntries: 2, name: "mem-entries" });
    await tier.set("a", new Uint8Array([1]));
    await tier.set("b", new Uint8Array([2]));
    await tier.get("a");
    await tier.set("c", new Uint8Array([3]));
    expect(await tier.get("b")).toBeUndefined();
    expect(await tier.get("a")).toBeDefined();
    expect(evictions).toContainEqual({ tier: "mem-entries", key: "b", reason: "capacity" });
  });

  it("stays within maxBytes, counting entries by their length", async () => {
    const tier = memoryTier({ maxBytes: 100, name: "mem-bytes" });
    await tier.set("one", new Uint8Array(60));
    await tier.set("two", new Uint8Array(60));
    expect(await tier.get("one")).toBeUndefined();
    expect((await tier.get("two"))?.value.byteLength).toBe(60);
    expect(await tier.size()).toBe(60);
    await tier.set("huge", new Uint8Array(1000));
    expect(await tier.get("huge")).toBeUndefined();
  });

  it("expires entries with the injected clock and reports it", async () => {
    let now = 1_000;
    const tier = memoryTier({ ttlMs: 50, clock: { now: () => now }, name: "mem-ttl" });
    await tier.set("k", new Uint8Array([1]));
    now += 49;
    expect(await tier.get("k")).toBeDefined();
    now += 1;
    expect(await tier.get("k")).toBeUndefined();
    expect(evictions).toContainEqual({ tier: "mem-ttl", key: "k", reason: "expired" });
  });

  it("in a tiered cache's layers, bounds its in-process cache and holds no second copy", async () => {
    const memory = memoryTier({ maxEntries: 1, name: "l1" });
    const loads: string[] = [];
    const cache = createTieredCache<{ key: string }>({
      layers: [memory],
      load: async (key) => {
        loads.push(key);
        return { value: { key }, bytes: new TextEncoder().encode(key) };
      },
      admit: async () => {
        throw new Error("no byte tier below");
      },
    });
    await cache.get("a");
    await cache.get("b");
    await cache.get("a");
    expect(loads).toEqual(["a", "b", "a"]);
    expect(evictions).toContainEqual({ tier: "l1", key: "a", reason: "capacity" });
    expect(cache.stats().tiers.map((tier) => tier.tier)).toEqual(["l1"]);
    expect(await memory.size()).toBe(0);
    await cache.close();
  });

  it("refuses bad options with an error naming the option", () => {
    expect(() => memoryTier({ maxEntries: 0 })).toThrow(/options\.maxEntries/);
    expect(() => memoryTier({ maxBytes: -1 })).toThrow(/options\.maxBytes/);
    expect(() => memoryTier({ ttlMs: Number.NaN })).toThrow(/options\.ttlMs/);
  });

  it("refuses use after close with NG_ERR_CACHE_CLOSED", async () => {
    const tier = memoryTier();
    await tier.close();
    await expect(tier.get("k")).rejects.toSatisfy((error) => NextGenError.is(error, "NG_ERR_CACHE_CLOSED"));
    expect((await tier.health()).status).toBe("unhealthy");
  });
});
