import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createTieredCache, fileTier, memoryTier, NextGenError } from "@nextgen/core";
import { createClient } from "redis";
import { afterAll, describe, expect, it } from "vitest";
import {
  hasRedisServer,
  type PrivateRedis,
  REDIS_REQUIRED,
  startPrivateRedis,
  uniquePrefix,
} from "./redis-test-env.js";
import { redisTier } from "./redis-tier.js";

// These tests stop a Redis, so they start their own: never the machine's Redis on 6379.
const installed = hasRedisServer();
if (!installed) {
  if (REDIS_REQUIRED) throw new Error("NEXTGEN_REQUIRE_REDIS=1 but redis-server is not installed");
  console.warn("[cache-redis] skipping outage tests: redis-server is not installed");
}

const servers: PrivateRedis[] = [];
const root = await mkdtemp(join(tmpdir(), "nextgen-redis-outage-"));
afterAll(async () => {
  for (const server of servers) await server.kill();
  await rm(root, { recursive: true, force: true });
});
const start = async (port?: number): Promise<PrivateRedis> => {
  const server = await startPrivateRedis(port);
  servers.push(server);
  return server;
};

describe.skipIf(!installed)("redisTier when Redis goes away", () => {
  const bytes = new TextEncoder().encode('{"schemaVersion":1,"id":"a/b","version":"1.0.0"}');
  const pipeline = () => {
    const counters = { sourceReads: 0 };
    const admit = async (value: Uint8Array) => Object.freeze({ text: new TextDecoder().decode(value) });
    const load = async () => {
      counters.sourceReads += 1;
      return { value: await admit(bytes), bytes };
    };
    return { counters, admit, load };
  };

  it("keeps creates working when Redis is killed mid-test, from the file tier and then the source", async () => {
    const server = await start();
    const redis = redisTier({ url: server.url, keyPrefix: uniquePrefix("outage") });
    const files = fileTier({ dir: join(root, "files") });
    const { counters, admit, load } = pipeline();
    const cache = createTieredCache({ layers: [memoryTier(), files, redis], admit, load });
    expect((await cache.get("a/b@1.0.0"))?.text).toContain("a/b");
    await cache.idle();
    expect(await redis.get("a/b@1.0.0")).toBeDefined();

    await server.kill();

    await cache.invalidate("other/key");
    // L1 still answers.
    expect((await cache.get("a/b@1.0.0"))?.text).toContain("a/b");
    // A fresh instance (cold L1) gets it from the file tier, Redis being dead.
    const cold = createTieredCache({ layers: [memoryTier(), files, redis], admit, load });
    expect((await cold.get("a/b@1.0.0"))?.text).toContain("a/b");
    // With the file tier emptied too, the source answers.
    await files.clear();
    const colder = createTieredCache({ layers: [memoryTier(), files, redis], admit, load });
    expect((await colder.get("a/b@1.0.0"))?.text).toContain("a/b");
    expect(counters.sourceReads).toBe(2);
    expect(colder.stats().tiers[2]?.errors).toBeGreaterThan(0);
    expect((await redis.health()).status).toBe("degraded");
    await expect(redis.get("a/b@1.0.0")).rejects.toSatisfy((error) => NextGenError.is(error));
    await redis.close();
  });

  it("answers a Redis that stops responding with NG_ERR_CACHE_TIMEOUT", async () => {
    const server = await start();
    // The timeout must be long enough for the first (connecting) set on a loaded machine, and
    // the pause far longer than the timeout, so only the pause can make the get time out.
    const redis = redisTier({ url: server.url, keyPrefix: uniquePrefix("slow"), operationTimeoutMs: 300 });
    await redis.set("k", new Uint8Array([1]));
    const admin = createClient({ url: server.url });
    await admin.connect();
    // CLIENT PAUSE on our private server only: every client's commands wait 2 s.
    await admin.sendCommand(["CLIENT", "PAUSE", "2000", "ALL"]);
    await expect(redis.get("k")).rejects.toSatisfy((error) => NextGenError.is(error, "NG_ERR_CACHE_TIMEOUT"));
    admin.destroy();
    await redis.close();
  });

  it("comes back on its own when Redis returns on the same address", async () => {
    const first = await start();
    const port = Number(new URL(first.url).port);
    // The budget covers the first connect on a loaded CI machine; recovery, not latency, is under test.
    const redis = redisTier({ url: first.url, keyPrefix: uniquePrefix("return"), operationTimeoutMs: 2_000 });
    await redis.set("k", new Uint8Array([1]));
    await first.kill();
    await expect(redis.get("k")).rejects.toSatisfy((error) => NextGenError.is(error));
    await start(port);
    let recovered = false;
    for (let attempt = 0; attempt < 100 && !recovered; attempt += 1) {
      recovered = await redis.set("k", new Uint8Array([2])).then(
        () => true,
        () => false,
      );
      if (!recovered) await new Promise((resolve) => setTimeout(resolve, 50));
    }
    expect(recovered).toBe(true);
    expect([...((await redis.get("k"))?.value ?? [])]).toEqual([2]);
    expect((await redis.health()).status).toBe("healthy");
    await redis.close();
  });

  it("serves creates and reports degraded, without throwing, when Redis is not there at all", async () => {
    const server = await start();
    const url = server.url;
    await server.kill();
    const redis = redisTier({ url, keyPrefix: uniquePrefix("late"), operationTimeoutMs: 200 });
    const { admit, load } = pipeline();
    const cache = createTieredCache({ layers: [memoryTier(), redis], admit, load });
    expect((await cache.get("a/b@1.0.0"))?.text).toContain("a/b");
    expect((await redis.health()).status).toBe("degraded");
    await redis.close();
  });
});
