import { randomUUID } from "node:crypto";
import { OptionsError } from "../errors/options-error.js";
import type { InvalidationBus } from "./invalidation-bus.js";
import type { TieredCacheOptions } from "./tiered-cache-options.js";
import { optionalClock, optionalNonNegative, optionalPositive } from "./validate-options.js";

const everyKey = (): boolean => true;

/** {@link TieredCacheOptions} checked, with defaults applied. @internal */
export interface ResolvedTieredOptions {
  readonly ttlMs: number | undefined;
  readonly staleGraceMs: number;
  readonly lowerTtlMs: number | undefined;
  readonly notFoundTtlMs: number;
  readonly tierTimeoutMs: number;
  readonly clock: () => number;
  readonly monotonicClock: () => number;
  readonly shared: (key: string) => boolean;
  readonly instanceId: string;
  readonly bus: InvalidationBus | undefined;
}

/**
 * Checks `createTieredCache`'s options at construction (a wrong `clock` or `bus` would
 * otherwise fail on the first lookup or the first message) and applies the defaults.
 * Throws an `OptionsError` naming the first bad option.
 * @internal
 */
export function resolveTieredOptions<T extends object>(options: TieredCacheOptions<T>): ResolvedTieredOptions {
  if (!Array.isArray(options?.layers)) throw new OptionsError("options.layers", "must be an array of cache tiers");
  if (typeof options.load !== "function") throw new OptionsError("options.load", "must be a function");
  if (typeof options.admit !== "function") throw new OptionsError("options.admit", "must be a function");
  options.layers.forEach((tier, index) => {
    if (typeof tier?.get !== "function" || typeof tier.set !== "function" || typeof tier.delete !== "function") {
      throw new OptionsError(`options.layers[${index}]`, "must be a CacheTier (get, set, delete, clear)");
    }
  });
  const { bus, clock, monotonicClock, shared, instanceId, onRemoteInvalidation } = options;
  if (bus !== undefined && (typeof bus?.publish !== "function" || typeof bus.subscribe !== "function")) {
    throw new OptionsError("options.bus", "must be an InvalidationBus (publish, subscribe)");
  }
  const wall = optionalClock("options.clock", clock, "wall");
  const monotonic = optionalClock("options.monotonicClock", monotonicClock, "monotonic");
  if (shared !== undefined && typeof shared !== "function") {
    throw new OptionsError("options.shared", "must be a function of a key returning a boolean");
  }
  if (instanceId !== undefined && (typeof instanceId !== "string" || instanceId.length === 0)) {
    throw new OptionsError("options.instanceId", "must be a non-empty string");
  }
  if (onRemoteInvalidation !== undefined && typeof onRemoteInvalidation !== "function") {
    throw new OptionsError("options.onRemoteInvalidation", "must be a function");
  }
  return {
    ttlMs: optionalPositive("options.ttlMs", options.ttlMs),
    staleGraceMs: optionalNonNegative("options.staleGraceMs", options.staleGraceMs) ?? 60_000,
    lowerTtlMs: optionalPositive("options.lowerTtlMs", options.lowerTtlMs),
    notFoundTtlMs: optionalNonNegative("options.notFoundTtlMs", options.notFoundTtlMs) ?? 1_000,
    tierTimeoutMs: optionalPositive("options.tierTimeoutMs", options.tierTimeoutMs) ?? 250,
    // Read through functions: the hot paths call them without a property lookup.
    clock: wall === undefined ? Date.now : () => wall.now(),
    monotonicClock:
      monotonic !== undefined ? () => monotonic.now() : wall !== undefined ? () => wall.now() : () => performance.now(),
    shared: shared ?? everyKey,
    instanceId: instanceId ?? randomUUID(),
    bus,
  };
}
