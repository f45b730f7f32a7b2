/**
 * One invalidation travelling between instances.
 *
 * @example
 * ```ts
 * bus.subscribe((message: InvalidationMessage) => console.log(message.reason, message.keys));
 * ```
 */
export interface InvalidationMessage {
  /** Cache keys to drop (template ids, `id@version`, digests: whatever keys the sender's cache uses). */
  keys: string[];
  /** Why they are dropped. */
  reason: "updated" | "removed" | "revoked" | "manual";
  /** Id of the sending instance; an instance ignores its own messages. */
  origin: string;
}

/**
 * Carries invalidations between instances (processes, machines) that share lower
 * cache tiers: when one sees a new version or a revocation, the others drop it.
 * `redisInvalidationBus` of `@nextgen/cache-redis` is one (Redis pub/sub).
 *
 * @example
 * ```ts
 * const bus = memoryInvalidationBus(); // one process; redisInvalidationBus({ url }) across machines
 * createAgentFactory({ source, trust, kinds, cache: { layers: [memoryTier()], bus } });
 * ```
 */
export interface InvalidationBus {
  /** Sends `message` to every other subscribed instance. Never rejects for delivery problems it can retry. */
  publish(message: InvalidationMessage): Promise<void>;
  /** Calls `listener` for each message received until the returned function is called. */
  subscribe(listener: (message: InvalidationMessage) => void): () => void;
  /** Optional: health for `factory.health()`. */
  health?(): Promise<{ status: "healthy" | "degraded" | "unhealthy"; reason?: string }>;
  /** Optional: releases connections. Idempotent. */
  close?(): Promise<void>;
}

/**
 * An in-process bus: instances created with the same bus see each other's
 * invalidations. For tests and for several factories in one process.
 *
 * @example
 * ```ts
 * const bus = memoryInvalidationBus();
 * const a = createTieredCache({ layers, load, admit, bus });
 * const b = createTieredCache({ layers, load, admit, bus });
 * ```
 */
export function memoryInvalidationBus(): InvalidationBus {
  const listeners = new Set<(message: InvalidationMessage) => void>();
  return {
    async publish(message) {
      for (const listener of [...listeners]) {
        try {
          listener(structuredClone(message));
        } catch {
          // A failing listener must not stop the others nor reach the publisher.
        }
      }
    },
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}
