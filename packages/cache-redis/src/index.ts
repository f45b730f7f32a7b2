// Public API of @nextgen/cache-redis, listed by name (no `export *`): Redis implementations
// of core's CacheTier, InvalidationBus and StateStore contracts.

// Connection: options shared by the three, or a client of your own.

export type { RedisClient, RedisConnectionOptions } from "./redis-client.js";

// The cache tier (signed bytes, untrusted: core verifies what comes up).

export type { RedisTier, RedisTierOptions } from "./redis-tier.js";
export { redisTier } from "./redis-tier.js";

// The invalidation bus (pub/sub across instances).

export type { RedisInvalidationBus, RedisInvalidationBusOptions } from "./redis-invalidation-bus.js";
export { redisInvalidationBus } from "./redis-invalidation-bus.js";

// The rollback state store (high-water marks shared by replicas).

export type { RedisStateStore, RedisStateStoreOptions } from "./redis-state-store.js";
export { redisStateStore } from "./redis-state-store.js";
