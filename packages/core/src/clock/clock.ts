// The one clock shape of @nextgen: every option that takes time takes a `Clock`
// (node-lru-cache's `perf: { now() }`), so a test passes one fake clock everywhere.
// This file is a leaf: it imports nothing.

/**
 * A source of time in milliseconds. Options that compare against absolute instants
 * (signature `exp`, key `notAfter`, backup timestamps) read it as milliseconds since the
 * Unix epoch; options that measure durations (TTLs, timeouts, pool scaling) only subtract
 * two readings, so any monotonic source fits. Each option's TSDoc says which it needs.
 *
 * @example
 * ```ts
 * let now = Date.parse("2026-06-01T00:00:00Z");
 * const clock: Clock = { now: () => now };
 * const trust = trustPolicy(document, { clock });
 * now += 60_000; // a minute later, without sleeping
 * ```
 */
export interface Clock {
  /** The current time in milliseconds. */
  now(): number;
}

/**
 * The wall clock: `Date.now()`, milliseconds since the Unix epoch. The default of every
 * option that compares against absolute instants.
 *
 * @example
 * ```ts
 * const issuedAt = Math.floor(wallClock.now() / 1000);
 * ```
 */
export const wallClock: Clock = Object.freeze({ now: () => Date.now() });

/**
 * A monotonic clock (`performance.now()`): never jumps with the wall clock. The default of
 * every option that only measures durations.
 *
 * @example
 * ```ts
 * const started = monotonicClock.now();
 * await work();
 * const elapsedMs = monotonicClock.now() - started;
 * ```
 */
export const monotonicClock: Clock = Object.freeze({ now: () => performance.now() });
