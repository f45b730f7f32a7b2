import { type InvalidationBus, type InvalidationMessage, NextGenError } from "@nextgen/core";
import { manageConnection, type RedisConnectionOptions } from "./redis-client.js";
import { withTimeout } from "./with-timeout.js";

/**
 * Options of {@link redisInvalidationBus}.
 *
 * @example
 * ```ts
 * redisInvalidationBus({ url: process.env.REDIS_URL, channel: "myapp:templates:invalidate" });
 * ```
 */
export interface RedisInvalidationBusOptions extends RedisConnectionOptions {
  /** Pub/sub channel shared by the instances of one service. @default "nextgen:cache.invalidate" */
  channel?: string;
  /** Time limit of one publish, in milliseconds. @default 500 */
  publishTimeoutMs?: number;
}

/**
 * The Redis invalidation bus: an {@link InvalidationBus} with `ready`, `health` and `close`.
 *
 * @example
 * ```ts
 * const bus: RedisInvalidationBus = redisInvalidationBus({ url });
 * await bus.ready(); // subscribed: changes elsewhere now reach this instance
 * ```
 */
export interface RedisInvalidationBus extends InvalidationBus {
  /** Resolves once the subscription is active (messages published before it are not seen). */
  ready(): Promise<void>;
  health(): Promise<{ status: "healthy" | "degraded" | "unhealthy"; reason?: string }>;
  close(): Promise<void>;
}

const REASONS = new Set<InvalidationMessage["reason"]>(["updated", "removed", "revoked", "manual"]);

/**
 * Carries cache invalidations between instances over Redis pub/sub: when one
 * instance sees a new template version or a revocation, the others drop it from their
 * caches within a round trip. A message can only make an instance forget, never
 * trust, so a forged one costs a reload, not a compromise. Node-redis resubscribes
 * after a reconnect.
 *
 * @example
 * ```ts
 * import { redisInvalidationBus, redisTier } from "@nextgen/cache-redis";
 * const factory = createAgentFactory({
 *   source, trust, kinds,
 *   cache: { layers: [memoryTier(), redisTier({ url })], bus: redisInvalidationBus({ url }) },
 * });
 * ```
 */
export function redisInvalidationBus(options: RedisInvalidationBusOptions = {}): RedisInvalidationBus {
  const channel = options.channel ?? "nextgen:cache.invalidate";
  const publishTimeoutMs = options.publishTimeoutMs ?? 500;
  const publisher = manageConnection(options);
  // A subscribed connection can run no other command: pub/sub gets its own.
  const subscriber = manageConnection({
    ...options,
    client: options.client === undefined ? undefined : options.client.duplicate(),
  } as RedisConnectionOptions);
  const ownsSubscriber = options.client !== undefined;
  const listeners = new Set<(message: InvalidationMessage) => void>();
  let subscribed: Promise<void> | undefined;
  let closed = false;

  const deliver = (raw: string): void => {
    let message: InvalidationMessage;
    try {
      message = parseMessage(raw);
    } catch {
      return; // Not ours or malformed: ignore rather than let a stranger crash us.
    }
    for (const listener of [...listeners]) {
      try {
        listener(message);
      } catch {
        // One failing listener must not stop the others.
      }
    }
  };
  const subscribe = (): Promise<void> => {
    subscribed ??= (async () => {
      if (ownsSubscriber && !subscriber.client.isOpen) await subscriber.client.connect();
      else await subscriber.ready();
      await subscriber.client.subscribe(channel, deliver);
    })();
    subscribed.catch(() => {
      subscribed = undefined;
      // Redis was not there yet: keep trying while someone listens (node-redis resubscribes after that).
      if (listeners.size > 0 && !closed) setTimeout(() => void subscribe().catch(() => undefined), 1_000).unref();
    });
    return subscribed;
  };

  return {
    async publish(message): Promise<void> {
      await withTimeout("Redis invalidation bus publish", publishTimeoutMs, async () => {
        await publisher.ready();
        await publisher.client.publish(channel, JSON.stringify(message));
      }).catch((error: unknown) => {
        throw NextGenError.is(error)
          ? error
          : new NextGenError("NG_ERR_CACHE_TIER", "Redis invalidation bus failed to publish", { cause: error });
      });
    },
    subscribe(listener): () => void {
      listeners.add(listener);
      void subscribe().catch(() => undefined);
      return () => listeners.delete(listener);
    },
    ready: subscribe,
    async health() {
      if (!subscriber.client.isReady) {
        return { status: "degraded" as const, reason: subscriber.lastError() ?? "not subscribed" };
      }
      return { status: "healthy" as const };
    },
    async close(): Promise<void> {
      closed = true;
      listeners.clear();
      await publisher.close();
      if (ownsSubscriber) {
        if (subscriber.client.isOpen) await subscriber.client.close().catch(() => subscriber.client.destroy());
      } else {
        await subscriber.close();
      }
    },
  };
}

function parseMessage(raw: string): InvalidationMessage {
  const value = JSON.parse(raw) as Partial<InvalidationMessage>;
  if (
    !Array.isArray(value.keys) ||
    !value.keys.every((key) => typeof key === "string") ||
    typeof value.origin !== "string" ||
    !REASONS.has(value.reason as InvalidationMessage["reason"])
  ) {
    throw new Error("not an invalidation message");
  }
  return { keys: value.keys, reason: value.reason as InvalidationMessage["reason"], origin: value.origin };
}
