// Public API of @nextgen/cache-redis, listed by name.
export type { RedisClient, RedisConnectionOptions } from "./redis-client.js";
export type { RedisInvalidationBus, RedisInvalidationBusOptions } from "./redis-invalidation-bus.js";
export { redisInvalidationBus } from "./redis-invalidation-bus.js";
export type { RedisStateStore, RedisStateStoreOptions } from "./redis-state-store.js";
export { redisStateStore } from "./redis-state-store.js";
export type { RedisTier, RedisTierOptions } from "./redis-tier.js";
export { redisTier } from "./redis-tier.js";
