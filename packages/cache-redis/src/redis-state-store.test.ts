import { testStateStore } from "@nextgen/core/testing";
import { createClient } from "redis";
import { afterAll, describe, expect, it } from "vitest";
import { redisStateStore } from "./redis-state-store.js";
import { hasRedisServer, REDIS_URL, redisSkipReason, startPrivateRedis, uniquePrefix } from "./redis-test-env.js";

const skip = await redisSkipReason();
const opened: Array<{ close(): Promise<void> }> = [];
afterAll(async () => {
  for (const store of opened) await store.close();
});
const open = (keyPrefix: string, options: Parameters<typeof redisStateStore>[0] = {}) => {
  const store = redisStateStore({ url: REDIS_URL, keyPrefix, ...options });
  opened.push(store);
  return store;
};
const digest = (fill: string) => `sha256:${fill.repeat(64)}` as const;

// Each replica is its own store with its own connection, as in separate processes; the
// replicas of one namespace share one key prefix, as the replicas of one deployment do.
const prefixes = new Map<string, string>();
testStateStore(
  "redisStateStore",
  ({ namespace }) => {
    const prefix = prefixes.get(namespace) ?? uniquePrefix(namespace);
    prefixes.set(namespace, prefix);
    return open(prefix);
  },
  { ...(skip === undefined ? {} : { skip }) },
);

describe("redisStateStore options", () => {
  it("refuses bad options with a coded error naming them", () => {
    expect(() => redisStateStore({ graceMs: -1 })).toThrow(expect.objectContaining({ code: "NG_ERR_OPTIONS_INVALID" }));
    expect(() => redisStateStore({ commandTimeoutMs: 0 })).toThrow(/options\.commandTimeoutMs/);
    expect(() => redisStateStore(null as never)).toThrow(/options must be an object/);
  });
});

describe.skipIf(skip !== undefined)("redisStateStore", () => {
  it("fails closed on a corrupt stored mark instead of forgetting it", async () => {
    const prefix = uniquePrefix("corrupt");
    const client = createClient({ url: REDIS_URL });
    await client.connect();
    try {
      await client.hSet(`${prefix}trust-marks`, {
        "a/json": "{not json",
        "a/shape": JSON.stringify({ version: "1.0.0" }),
        "a/long": "x".repeat(5_000),
      });
      const store = open(prefix);
      for (const id of ["a/json", "a/shape", "a/long"]) {
        await expect(store.get(id)).rejects.toMatchObject({ code: "NG_ERR_TRUST_STATE" });
        await expect(store.set(id, { version: "9.0.0", digest: digest("a") })).rejects.toMatchObject({
          code: "NG_ERR_TRUST_STATE",
        });
      }
      expect(await client.hGet(`${prefix}trust-marks`, "a/json")).toBe("{not json");
    } finally {
      await client.del(`${prefix}trust-marks`);
      client.destroy();
    }
  });

  it("refuses a malformed mark or id before touching Redis", async () => {
    const store = open(uniquePrefix("input"));
    await expect(store.set("a/b", { version: "1.0.0", digest: "md5:x" } as never)).rejects.toMatchObject({
      code: "NG_ERR_OPTIONS_INVALID",
    });
    await expect(store.get("")).rejects.toMatchObject({ code: "NG_ERR_OPTIONS_INVALID" });
  });

  it("deletes a mark (reset-mark), after which any version is accepted again", async () => {
    const store = open(uniquePrefix("delete"));
    await store.set("a/b", { version: "2.0.0", digest: digest("b") });
    expect(await store.delete("a/b")).toBe(true);
    expect(await store.delete("a/b")).toBe(false);
    await store.set("a/b", { version: "1.0.0", digest: digest("c") });
    expect(await store.get("a/b")).toEqual({ version: "1.0.0", digest: digest("c") });
  });

  it("a closed store refuses with a coded error", async () => {
    const store = redisStateStore({ url: REDIS_URL, keyPrefix: uniquePrefix("closed") });
    await store.check();
    await store.close();
    await store.close();
    await expect(store.get("a/b")).rejects.toMatchObject({ code: "NG_ERR_TRUST_STATE" });
  });
});

describe.skipIf(!hasRedisServer())("redisStateStore when Redis goes away", () => {
  it("fails closed with NG_ERR_TRUST_STATE after the grace, and recovers when Redis is back", async () => {
    const redis = await startPrivateRedis();
    const port = Number(new URL(redis.url).port);
    const store = redisStateStore({ url: redis.url, keyPrefix: uniquePrefix("outage"), graceMs: 200 });
    try {
      await store.set("a/b", { version: "1.0.0", digest: digest("a") });
      await redis.kill();
      await expect(store.get("a/b")).rejects.toMatchObject({ code: "NG_ERR_TRUST_STATE" });
      await expect(store.set("a/b", { version: "2.0.0", digest: digest("b") })).rejects.toMatchObject({
        code: "NG_ERR_TRUST_STATE",
      });
      await expect(store.check()).rejects.toMatchObject({ code: "NG_ERR_TRUST_STATE" });
      // A fresh server on the same port has no marks (no persistence here): the store
      // reconnects by itself and serves what that server holds.
      const again = await startPrivateRedis(port);
      try {
        const back = redisStateStore({ url: again.url, keyPrefix: "x:", graceMs: 5_000 });
        await back.check();
        await back.close();
        await store.check();
        expect(await store.get("a/b")).toBeUndefined();
      } finally {
        await again.kill();
      }
    } finally {
      await store.close();
      if (redis.process.exitCode === null) await redis.kill();
    }
  });

  it("an operation started during an outage within the grace succeeds once Redis is back", async () => {
    const redis = await startPrivateRedis();
    const port = Number(new URL(redis.url).port);
    const store = redisStateStore({ url: redis.url, keyPrefix: uniquePrefix("blip"), graceMs: 20_000 });
    try {
      await store.check();
      await redis.kill();
      const pending = store.set("a/b", { version: "1.0.0", digest: digest("a") });
      const again = await startPrivateRedis(port);
      try {
        await pending;
        expect(await store.get("a/b")).toEqual({ version: "1.0.0", digest: digest("a") });
      } finally {
        await again.kill();
      }
    } finally {
      await store.close();
    }
  });
});
