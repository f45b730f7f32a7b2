/**
 * A source of the current time, injected so tests can use a fake clock.
 *
 * @example
 * ```ts
 * let now = Date.UTC(2026, 0, 1);
 * const clock: Clock = { now: () => now };
 * const backups = createBackupManager({ source, repository, archives, clock });
 * ```
 */
export interface Clock {
  /** Milliseconds since the Unix epoch, as `Date.now()`. */
  now(): number;
}

/** The real clock. */
export const systemClock: Clock = { now: () => Date.now() };
