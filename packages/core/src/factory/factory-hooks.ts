import type { HealthProbe } from "./factory-types.js";

/** What other parts of core (trust, cache tiers, pool) attach to a factory. @internal */
export interface FactoryHooks {
  /** Health checks run by `factory.health()`, in order. */
  readonly probes: HealthProbe[];
  /** Run by `factory.close()`, in order, after creates stop. */
  readonly closers: (() => Promise<void> | void)[];
}

const hooks = new WeakMap<object, FactoryHooks>();

/** Registers the hooks of a new factory. @internal */
export function registerFactoryHooks(factory: object, value: FactoryHooks): void {
  hooks.set(factory, value);
}

/**
 * Adds a health probe to `factory` (a cache tier, the trust root's expiry, the pool).
 * Probes must not throw; a throwing probe is reported as unhealthy.
 * @internal
 */
export function addHealthProbe(factory: object, probe: HealthProbe): void {
  hooks.get(factory)?.probes.push(probe);
}

/** Adds work to `factory.close()` (stop a watcher, drain a pool). @internal */
export function addCloseHook(factory: object, closer: () => Promise<void> | void): void {
  hooks.get(factory)?.closers.push(closer);
}
