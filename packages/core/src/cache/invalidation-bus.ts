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
  /**
   * Drop every entry, not only `keys`: a bus sends it when it may have missed messages
   * (after an outage or a partition), so that instances converge on the source.
   */
  all?: boolean;
}

/** Most keys one message may carry; a receiver ignores messages with more. */
export const MAX_INVALIDATION_KEYS = 1_000;
/** Longest key a message may carry, in characters; a receiver ignores messages with longer ones. */
export const MAX_INVALIDATION_KEY_LENGTH = 512;

/**
 * Whether `message` is a well-formed invalidation a receiver may act on: known reason,
 * string origin, at most {@link MAX_INVALIDATION_KEYS} string keys of bounded length.
 * Messages come from the network and are checked before anything else is done with them.
 *
 * @example
 * ```ts
 * bus.subscribe((message) => { if (isInvalidationMessage(message)) apply(message); });
 * ```
 */
export function isInvalidationMessage(message: unknown): message is InvalidationMessage {
  if (typeof message !== "object" || message === null) return false;
  const { keys, reason, origin, all } = message as Partial<Record<keyof InvalidationMessage, unknown>>;
  return (
    Array.isArray(keys) &&
    keys.length <= MAX_INVALIDATION_KEYS &&
    keys.every((key) => typeof key === "string" && key.length > 0 && key.length <= MAX_INVALIDATION_KEY_LENGTH) &&
    typeof origin === "string" &&
    (reason === "updated" || reason === "removed" || reason === "revoked" || reason === "manual") &&
    (all === undefined || typeof all === "boolean")
  );
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
