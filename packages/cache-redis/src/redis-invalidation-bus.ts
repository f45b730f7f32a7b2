import { type InvalidationBus, type InvalidationMessage, NextGenError } from "@nextgen/core";
import { encodeMessage, Outbox, parseMessage } from "./bus-message.js";
import { manageConnection, type RedisConnectionOptions } from "./redis-client.js";
import { withTimeout } from "./with-timeout.js";

/**
 * Options of {@link redisInvalidationBus}.
 *
 * @example
 * ```ts
 * redisInvalidationBus({ url: process.env.REDIS_URL, channel: "myapp:templates:invalidate", resyncIntervalMs: 5_000 });
 * ```
 */
export interface RedisInvalidationBusOptions extends RedisConnectionOptions {
  /** Pub/sub channel shared by the instances of one service. @default "nextgen:cache.invalidate" */
  channel?: string;
  /** Time limit of one publish, in milliseconds. @default 500 */
  publishTimeoutMs?: number;
  /**
   * How often the generation stamp (`<channel>:generation`) is compared with the last one
   * this instance saw, in milliseconds. A difference means a message was missed (an outage,
   * a partition): the instance then drops its whole L1 and reloads from the source. It is
   * also compared at once whenever a connection comes back.
   * @default 5_000
   */
  resyncIntervalMs?: number;
  /** Most unpublished invalidations kept while Redis is unreachable; past it they collapse into one "drop everything". @default 1_000 */
  maxOutbox?: number;
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

const RESYNC_ORIGIN = "nextgen:redis-bus-resync";

/**
 * Carries cache invalidations between instances over Redis pub/sub: when one instance
 * sees a new template version or a revocation, the others drop it from their caches
 * within a round trip. A message can only make an instance forget, never trust, so a
 * forged one costs a reload, not a compromise.
 *
 * Nothing is lost to an outage: a publish that fails waits in a bounded outbox and is
 * replayed when Redis answers again, and every publish raises a generation stamp in
 * Redis. Each instance compares the stamp with the last one it saw when a connection
 * comes back and every `resyncIntervalMs`; on a difference (it missed a message) it drops
 * every template it holds in memory. So once Redis is reachable again from both sides,
 * every instance serves the current version within `resyncIntervalMs` plus the
 * reconnect backoff (at most 2 s).
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
  const generationKey = `${channel}:generation`;
  const publishTimeoutMs = options.publishTimeoutMs ?? 500;
  const resyncIntervalMs = options.resyncIntervalMs ?? 5_000;
  const outbox = new Outbox(options.maxOutbox ?? 1_000);
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
  // The generation stamp this instance has accounted for; `undefined` until first read.
  let seen: number | undefined;
  // A read failed before the first one succeeded: what happened meanwhile is unknown.
  let unknownPast = false;
  let checking: Promise<void> | undefined;
  let timer: NodeJS.Timeout | undefined;

  const notify = (message: InvalidationMessage): void => {
    for (const listener of [...listeners]) {
      try {
        listener(message);
      } catch {
        // One failing listener must not stop the others.
      }
    }
  };
  // Raised to `generation` by a message or a publish: in step only when it is the next one.
  const advance = (generation: number | undefined): void => {
    if (generation !== undefined && seen !== undefined && generation === seen + 1) seen = generation;
  };
  const deliver = (raw: string): void => {
    let wire: ReturnType<typeof parseMessage>;
    try {
      wire = parseMessage(raw);
    } catch {
      return; // Not ours or malformed: ignore rather than let a stranger crash us.
    }
    advance(wire.generation);
    notify(wire.message);
    // A gap: some message never reached this instance. Compare now rather than at the next tick.
    if (wire.generation !== undefined && seen !== undefined && wire.generation > seen + 1) void resync();
  };
  const publishNow = (message: InvalidationMessage): Promise<void> =>
    withTimeout("Redis invalidation bus publish", publishTimeoutMs, async () => {
      await publisher.ready();
      const generation = await publisher.client.incr(generationKey);
      await publisher.client.publish(channel, encodeMessage(message, generation));
      advance(generation);
    });
  const flush = async (): Promise<void> => {
    const pending = outbox.drain();
    for (let index = 0; index < pending.length; index += 1) {
      try {
        await publishNow(pending[index]!);
      } catch {
        outbox.unshift(pending.slice(index));
        return;
      }
    }
  };
  // Compares the stamp; on a difference (or an unknown past), drops everything here.
  const resync = (): Promise<void> => {
    checking ??= (async () => {
      try {
        if (outbox.size > 0) await flush();
        const current = await withTimeout("Redis invalidation bus resync", publishTimeoutMs, async () => {
          await publisher.ready();
          return Number((await publisher.client.get(generationKey)) ?? 0);
        });
        const missed = seen === undefined ? unknownPast : current !== seen;
        seen = current;
        unknownPast = false;
        if (missed) notify({ keys: [], reason: "manual", origin: RESYNC_ORIGIN, all: true });
      } catch {
        if (seen === undefined) unknownPast = true;
      } finally {
        checking = undefined;
      }
    })();
    return checking;
  };
  const subscribe = (): Promise<void> => {
    subscribed ??= (async () => {
      if (ownsSubscriber && !subscriber.client.isOpen) await subscriber.client.connect();
      else await subscriber.ready();
      await subscriber.client.subscribe(channel, deliver);
      await resync();
    })();
    subscribed.catch(() => {
      subscribed = undefined;
      unknownPast ||= seen === undefined;
      // Redis was not there yet: keep trying while someone listens (node-redis resubscribes after that).
      if (listeners.size > 0 && !closed) setTimeout(() => void subscribe().catch(() => undefined), 1_000).unref();
    });
    return subscribed;
  };
  const start = (): void => {
    if (timer !== undefined || closed) return;
    timer = setInterval(() => void resync(), resyncIntervalMs);
    timer.unref();
    // Whenever either connection comes back, replay and compare at once.
    publisher.client.on("ready", onReconnect);
    subscriber.client.on("ready", onReconnect);
  };
  const onReconnect = (): void => void resync();

  return {
    async publish(message): Promise<void> {
      if (closed) throw new NextGenError("NG_ERR_CACHE_CLOSED", "the Redis invalidation bus is closed");
      start();
      try {
        await publishNow(message);
      } catch {
        // Kept and replayed on reconnect: the contract's "never rejects for what it can retry".
        outbox.push(message);
      }
    },
    subscribe(listener): () => void {
      listeners.add(listener);
      start();
      void subscribe().catch(() => undefined);
      return () => listeners.delete(listener);
    },
    ready: subscribe,
    async health() {
      if (!subscriber.client.isReady) {
        return { status: "degraded" as const, reason: subscriber.lastError() ?? "not subscribed" };
      }
      if (outbox.size > 0) {
        return { status: "degraded" as const, reason: `${outbox.size} invalidations waiting to be published` };
      }
      return { status: "healthy" as const };
    },
    async close(): Promise<void> {
      closed = true;
      clearInterval(timer);
      listeners.clear();
      publisher.client.off("ready", onReconnect);
      subscriber.client.off("ready", onReconnect);
      await publisher.close();
      if (ownsSubscriber) {
        if (subscriber.client.isOpen) await subscriber.client.close().catch(() => subscriber.client.destroy());
      } else {
        await subscriber.close();
      }
    },
  };
}
