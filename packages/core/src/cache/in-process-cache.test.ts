import diagnosticsChannel from "node:diagnostics_channel";
import { afterEach, describe, expect, it } from "vitest";
import { CACHE_EVICT_CHANNEL } from "../diagnostics/channels.js";
import type { CacheEvictMessage } from "../diagnostics/payloads.js";
import { InProcessCache } from "./in-process-cache.js";

const evictions: CacheEvictMessage[] = [];
diagnosticsChannel.subscribe(CACHE_EVICT_CHANNEL, (message) => evictions.push(message as CacheEvictMessage));
afterEach(() => {
  evictions.length = 0;
});

const cacheOf = (maxEntries: number, maxBytes = 1_000, now = { t: 0 }) =>
  new InProcessCache<string>(
    { name: "l1", maxEntries, maxBytes, ttlMs: undefined },
    () => now.t,
    () => now.t,
  );
const keys = (cache: InProcessCache<string>) => [...cache.entries()].map(([key]) => key);

describe("InProcessCache", () => {
  it("evicts the least recently used key, counting hits made before and after each store", () => {
    const cache = cacheOf(3);
    cache.set("a", "A", 1, undefined, 0);
    cache.set("b", "B", 1, undefined, 0);
    cache.get("a"); // a is now more recent than b
    cache.set("c", "C", 1, undefined, 0);
    cache.get("b"); // b is now more recent than a and c
    cache.get("b");
    cache.set("d", "D", 1, undefined, 0); // evicts a: the least recently used
    expect(keys(cache).sort()).toEqual(["b", "c", "d"]);
    cache.set("e", "E", 1, undefined, 0); // then c
    expect(keys(cache).sort()).toEqual(["b", "d", "e"]);
    expect(evictions.map((event) => [event.key, event.reason])).toEqual([
      ["a", "capacity"],
      ["c", "capacity"],
    ]);
  });

  it("bounds the bytes held, keeps nothing larger than the whole cache, and frees an overwritten value's bytes", () => {
    const cache = cacheOf(100, 10);
    cache.set("a", "A", 4, undefined, 0);
    cache.set("b", "B", 4, undefined, 0);
    cache.set("a", "A2", 4, undefined, 0); // overwrite: still 8 bytes
    expect(keys(cache).sort()).toEqual(["a", "b"]);
    cache.set("c", "C", 4, undefined, 0); // 12 > 10: b (least recent) leaves
    expect(keys(cache).sort()).toEqual(["a", "c"]);
    cache.set("huge", "H", 11, undefined, 0);
    expect(cache.get("huge")).toBeUndefined();
    expect(cache.get("a")?.value).toBe("A2");
    expect(cache.size).toBe(2);
  });

  it("serves a value until its fresh time plus grace, then drops it as expired", () => {
    const now = { t: 1_000 };
    const cache = cacheOf(10, 1_000, now);
    cache.set("a", "A", 1, 100, 50);
    now.t = 1_149;
    expect(cache.get("a")).toMatchObject({ value: "A", freshUntil: 1_100 });
    now.t = 1_150;
    expect(cache.get("a")).toBeUndefined();
    expect(evictions.map((event) => [event.key, event.reason])).toEqual([["a", "expired"]]);
    expect(cache.delete("a")).toBe(false);
  });
});
