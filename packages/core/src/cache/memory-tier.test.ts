import diagnosticsChannel from "node:diagnostics_channel";
import { afterEach, describe, expect, it } from "vitest";
import { CACHE_EVICT_CHANNEL } from "../diagnostics/channels.js";
import type { CacheEvictMessage } from "../diagnostics/payloads.js";
import { NextGenError } from "../errors/next-gen-error.js";
import { testCacheTier } from "../testing/cache-tier-suite.js";
import { memoryTier } from "./memory-tier.js";

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

  it("stays within maxBytes, counting objects by their declared size", async () => {
    const tier = memoryTier({ maxBytes: 100, name: "mem-bytes" });
    tier.setObject("one", { n: 1 }, { sizeBytes: 60 });
    tier.setObject("two", { n: 2 }, { sizeBytes: 60 });
    expect(tier.getObject("one")).toBeUndefined();
    expect(tier.getObject("two")?.value).toEqual({ n: 2 });
    expect(await tier.size()).toBe(60);
    tier.setObject("huge", { n: 3 }, { sizeBytes: 1000 });
    expect(tier.getObject("huge")).toBeUndefined();
  });

  it("returns the very object stored, and keeps objects and bytes apart", async () => {
    const tier = memoryTier();
    const template = Object.freeze({ id: "a/b" });
    tier.setObject("k", template, { sizeBytes: 10 });
    expect(tier.getObject("k")?.value).toBe(template);
    expect(await tier.get("k")).toBeUndefined();
    expect([...tier.objectKeys()]).toEqual(["k"]);
    expect(tier.deleteObject("k")).toBe(true);
    expect(tier.getObject("k")).toBeUndefined();
  });

  it("expires objects with the injected clock and reports it", () => {
    let now = 1_000;
    const tier = memoryTier({ ttlMs: 50, clock: { now: () => now }, name: "mem-ttl" });
    tier.setObject("k", {}, { sizeBytes: 1 });
    now += 49;
    expect(tier.getObject("k")).toBeDefined();
    now += 1;
    expect(tier.getObject("k")).toBeUndefined();
    expect(evictions).toContainEqual({ tier: "mem-ttl", key: "k", reason: "expired" });
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
