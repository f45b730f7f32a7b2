import { NextGenError } from "@nextgen/core";
import { createClient } from "redis";

/**
 * A node-redis v5 client, as `createClient()` returns it.
 *
 * @example
 * ```ts
 * const client = createClient({ url: process.env.REDIS_URL });
 * const tier = redisTier({ client, keyPrefix: "myapp:templates:" }); // the tier never closes your client
 * ```
 */
export type RedisClient = ReturnType<typeof createClient>;

/**
 * How to reach Redis: a URL (the tier owns the connection) or a client you own.
 *
 * @example
 * ```ts
 * redisTier({ url: "redis://cache.internal:6379", keyPrefix: "myapp:" });
 * ```
 */
export interface RedisConnectionOptions {
  /** Redis URL (`redis://host:6379`, `rediss://…` for TLS). Ignored when `client` is given. @default "redis://127.0.0.1:6379" */
  url?: string;
  /** A node-redis client you created (connected or not). The tier never closes it. */
  client?: RedisClient;
  /** Time limit of the first connection, in milliseconds. @default 1_000 */
  connectTimeoutMs?: number;
}

/** A connection the tier or bus uses, with what it knows about its health. @internal */
export interface ManagedConnection {
  readonly client: RedisClient;
  /** Resolves when the client is ready to take commands (starts connecting on first use). */
  ready(): Promise<void>;
  /** The last connection error, cleared when the client is ready again. */
  lastError(): string | undefined;
  /** Closes the client if it is ours. Idempotent. */
  close(): Promise<void>;
}

/**
 * Wraps a given client, or creates one that fails fast while disconnected (no
 * offline queue, so a dead Redis answers "offline" at once instead of hanging a create)
 * and reconnects in the background with capped backoff.
 * @internal
 */
export function manageConnection(options: RedisConnectionOptions): ManagedConnection {
  const owned = options.client === undefined;
  const client: RedisClient =
    options.client ??
    createClient({
      url: options.url ?? "redis://127.0.0.1:6379",
      disableOfflineQueue: true,
      socket: {
        connectTimeout: options.connectTimeoutMs ?? 1_000,
        reconnectStrategy: (retries: number) => Math.min(50 * 2 ** retries, 2_000),
      },
    });
  let error: string | undefined;
  // Without an "error" listener, node-redis would crash the process on a lost connection.
  client.on("error", (cause: Error) => {
    error = cause.message || (cause as NodeJS.ErrnoException).code || "connection error";
  });
  client.on("ready", () => {
    error = undefined;
  });
  let firstReady: Promise<void> | undefined;
  let closed = false;
  return {
    client,
    ready(): Promise<void> {
      if (client.isReady) return Promise.resolve();
      if (closed) return Promise.reject(new NextGenError("NG_ERR_CACHE_CLOSED", "the Redis connection is closed"));
      if (owned && !client.isOpen) {
        client.connect().catch((cause: Error) => {
          error = cause.message;
        });
      }
      // Known to be down (refused, lost, reconnecting): answer at once, the next tier serves.
      if (error !== undefined) {
        return Promise.reject(new NextGenError("NG_ERR_CACHE_TIER", `Redis is not reachable: ${error}`));
      }
      // The first connection is on its way: one shared wait, bounded by the caller's timeout.
      firstReady ??= new Promise((resolve) => client.once("ready", () => resolve()));
      return firstReady;
    },
    lastError: () => error,
    async close(): Promise<void> {
      if (closed || !owned) return;
      closed = true;
      if (client.isReady) await client.close().catch(() => client.destroy());
      else if (client.isOpen) client.destroy();
    },
  };
}
