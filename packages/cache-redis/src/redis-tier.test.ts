import { createHash } from "node:crypto";
import { createTieredCache, memoryTier } from "@nextgen/core";
import { testCacheTier } from "@nextgen/core/testing";
import { createClient } from "redis";
import { afterAll, describe, expect, it } from "vitest";
import { REDIS_URL, redisSkipReason, uniquePrefix } from "./redis-test-env.js";
import { redisTier } from "./redis-tier.js";

const skip = await redisSkipReason();
const opened: Array<{ close(): Promise<void> }> = [];
afterAll(async () => {
  for (const tier of opened) await tier.close();
});
const tier = (label: string, options: Parameters<typeof redisTier>[0] = {}) => {
  const made = redisTier({ url: REDIS_URL, keyPrefix: uniquePrefix(label), ...options });
  opened.push(made);
  return made;
};

testCacheTier("redisTier", ({ clock, namespace }) => tier(namespace, { clock }), {
  usesClock: false,
  ...(skip === undefined ? {} : { skip }),
});

describe.skipIf(skip !== undefined)("redisTier", () => {
  const encoder = new TextEncoder();
  const bytesOf = (description: string) =>
    encoder.encode(JSON.stringify({ schemaVersion: 1, id: "a/b", version: "1.0.0", description }));
  const digestOf = (bytes: Uint8Array) => createHash("sha256").update(bytes).digest("hex");

  it("refuses and evicts a tampered entry planted in Redis, and serves the source's version", async () => {
    const keyPrefix = uniquePrefix("tamper");
    const redis = tier("unused", { keyPrefix });
    const genuine = bytesOf("genuine");
    const allowed = new Set([digestOf(genuine)]);
    let verifications = 0;
    let sourceReads = 0;
    const admit = async (bytes: Uint8Array) => {
      verifications += 1;
      if (!allowed.has(digestOf(bytes))) throw new Error("digest not allowed");
      return Object.freeze({ text: new TextDecoder().decode(bytes) });
    };
    await redis.set("a/b@1.0.0", bytesOf("planted by an attacker"));
    const cache = createTieredCache({
      layers: [memoryTier(), redis],
      admit,
      load: async () => {
        sourceReads += 1;
        return { value: await admit(genuine), bytes: genuine };
      },
    });
    expect((await cache.get("a/b@1.0.0"))?.text).toContain("genuine");
    expect(cache.stats().tiers[1]?.refused).toBe(1);
    expect(sourceReads).toBe(1);
    expect(verifications).toBe(2);
    await cache.idle();
    expect(digestOf((await redis.get("a/b@1.0.0"))!.value)).toBe(digestOf(genuine));
  });

  it("writes under its key prefix only, with a server-side TTL", async () => {
    const keyPrefix = uniquePrefix("prefix");
    const redis = tier("unused", { keyPrefix, ttlMs: 60_000 });
    await redis.set("x/y", encoder.encode("value"));
    const client = createClient({ url: REDIS_URL });
    await client.connect();
    try {
      expect(await client.keys(`${keyPrefix}*`)).toEqual([`${keyPrefix}x/y`]);
      expect(await client.pTTL(`${keyPrefix}x/y`)).toBeGreaterThan(50_000);
    } finally {
      client.destroy();
    }
  });

  it("refuses bad options with an error naming the option", () => {
    expect(() => redisTier({ keyPrefix: "a*" })).toThrow(/options\.keyPrefix/);
    expect(() => redisTier({ ttlMs: 0 })).toThrow(/options\.ttlMs/);
    expect(() => redisTier({ operationTimeoutMs: -5 })).toThrow(/options\.operationTimeoutMs/);
  });
});
