import { type CacheEntry, type CacheTier, type Clock, NextGenError, OptionsError, wallClock } from "@nextgen/core";
import { RESP_TYPES } from "redis";
import { manageConnection, type RedisConnectionOptions } from "./redis-client.js";
import { withTimeout } from "./with-timeout.js";

/**
 * Options of {@link redisTier}.
 *
 * @example
 * ```ts
 * redisTier({ url: process.env.REDIS_URL, keyPrefix: "myapp:templates:", ttlMs: 3_600_000, operationTimeoutMs: 100 });
 * ```
 */
export interface RedisTierOptions extends RedisConnectionOptions {
  /** Prefix of every key this tier writes; give each cache (and each test run) its own. @default "nextgen:cache:" */
  keyPrefix?: string;
  /** Default time to live of entries, in milliseconds (Redis expires them). @default no expiry */
  ttlMs?: number;
  /** Time limit of one operation, in milliseconds; a slower Redis counts as a miss. @default 100 */
  operationTimeoutMs?: number;
  /** Tier name in diagnostics and health. @default "redis" */
  name?: string;
  /** Wall clock (milliseconds since the epoch), for `storedAt` and `expiresAt`. @default wallClock */
  clock?: Clock;
}

/**
 * The Redis tier: a {@link CacheTier} with `size`, `health` and `close`.
 *
 * @example
 * ```ts
 * const redis: RedisTier = redisTier({ url });
 * console.log((await redis.health()).status);
 * ```
 */
export interface RedisTier extends CacheTier {
  size(): Promise<number>;
  health(): Promise<{ status: "healthy" | "degraded" | "unhealthy"; reason?: string }>;
  close(): Promise<void>;
}

// Value layout: storedAt and expiresAt (float64, big-endian, 0 for none), then the bytes.
const HEADER_BYTES = 16;

/**
 * A cache tier in Redis, shared by every instance of a service. Entries hold signed
 * bytes and are untrusted (the tiered cache verifies what comes up). Each call has a
 * time limit and fails fast while Redis is unreachable, so a dead Redis costs a miss,
 * never a failed create; the connection comes back on its own.
 *
 * @example
 * ```ts
 * import { redisTier } from "@nextgen/cache-redis";
 * const cache = {
 *   layers: [memoryTier(), fileTier({ dir, codec }), redisTier({ url: process.env.REDIS_URL, keyPrefix: "agents:" })],
 * };
 * ```
 */
export function redisTier(options: RedisTierOptions = {}): RedisTier {
  const name = options.name ?? "redis";
  const keyPrefix = options.keyPrefix ?? "nextgen:cache:";
  if (typeof keyPrefix !== "string" || keyPrefix.length === 0 || /[*?[\]]/.test(keyPrefix)) {
    throw new OptionsError("options.keyPrefix", "must be a non-empty string without glob characters (*, ?, [, ])");
  }
  const ttlMs = positive("options.ttlMs", options.ttlMs);
  const timeoutMs = positive("options.operationTimeoutMs", options.operationTimeoutMs) ?? 100;
  positive("options.connectTimeoutMs", options.connectTimeoutMs);
  const clock = options.clock ?? wallClock;
  const connection = manageConnection(options);
  const binary = connection.client.withTypeMapping({ [RESP_TYPES.BLOB_STRING]: Buffer });

  const run = async <T>(operation: string, work: () => Promise<T>): Promise<T> => {
    try {
      return await withTimeout(`Redis tier "${name}" ${operation}`, timeoutMs, async () => {
        await connection.ready();
        return work();
      });
    } catch (error) {
      if (NextGenError.is(error)) throw error;
      throw new NextGenError("NG_ERR_CACHE_TIER", `Redis tier "${name}" failed to ${operation}`, { cause: error });
    }
  };

  return {
    name,
    get(key): Promise<CacheEntry | undefined> {
      return run("get", async () => {
        const raw = await binary.get(keyPrefix + key);
        if (raw === null || raw.byteLength < HEADER_BYTES) return undefined;
        const storedAt = raw.readDoubleBE(0);
        const expiresAt = raw.readDoubleBE(8);
        const value = new Uint8Array(raw.buffer, raw.byteOffset + HEADER_BYTES, raw.byteLength - HEADER_BYTES);
        return expiresAt > 0 ? { value, storedAt, expiresAt } : { value, storedAt };
      });
    },
    set(key, value, setOptions): Promise<void> {
      return run("set", async () => {
        const storedAt = clock.now();
        const ttl = setOptions?.ttlMs ?? ttlMs;
        const payload = Buffer.allocUnsafe(HEADER_BYTES + value.byteLength);
        payload.writeDoubleBE(storedAt, 0);
        payload.writeDoubleBE(ttl === undefined ? 0 : storedAt + ttl, 8);
        payload.set(value, HEADER_BYTES);
        await (ttl === undefined
          ? connection.client.set(keyPrefix + key, payload)
          : connection.client.set(keyPrefix + key, payload, { expiration: { type: "PX", value: Math.ceil(ttl) } }));
      });
    },
    delete(key): Promise<boolean> {
      return run("delete", async () => (await connection.client.unlink(keyPrefix + key)) > 0);
    },
    clear(): Promise<void> {
      // SCAN + UNLINK in batches, pipelined: never KEYS or FLUSHDB on a shared server.
      return run("clear", async () => {
        for await (const keys of connection.client.scanIterator({ MATCH: `${keyPrefix}*`, COUNT: 500 })) {
          if (keys.length > 0) await connection.client.unlink(keys);
        }
      });
    },
    size(): Promise<number> {
      return run("size", async () => {
        let total = 0;
        for await (const keys of connection.client.scanIterator({ MATCH: `${keyPrefix}*`, COUNT: 500 })) {
          const lengths = await Promise.all(keys.map((key) => connection.client.strLen(key)));
          for (const length of lengths) total += Math.max(0, length - HEADER_BYTES);
        }
        return total;
      });
    },
    async health() {
      try {
        await run("ping", () => connection.client.ping());
        return { status: "healthy" as const };
      } catch (error) {
        return { status: "degraded" as const, reason: connection.lastError() ?? (error as Error).message };
      }
    },
    close(): Promise<void> {
      return connection.close();
    },
  };
}

function positive(option: string, value: number | undefined): number | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== "number" || !Number.isFinite(value) || value <= 0) {
    throw new OptionsError(option, `must be a positive number of milliseconds, got ${String(value)}`);
  }
  return value;
}
