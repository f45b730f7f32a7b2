import { OptionsError } from "../errors/options-error.js";
import type { Clock } from "./clock.js";

/**
 * The clock an option names, or `fallback` when it is `undefined`. Anything else that is
 * not a `{ now() }` object (a bare `() => number` of the old shape, `null`, a number) throws
 * an `OptionsError` naming the option, at construction rather than at the first reading.
 *
 * @example
 * ```ts
 * const clock = resolveClock(options.clock, "options.clock", wallClock);
 * const issuedAtSeconds = Math.floor(clock.now() / 1000);
 * ```
 */
export function resolveClock(value: unknown, option: string, fallback: Clock): Clock {
  if (value === undefined) return fallback;
  if (typeof value === "object" && value !== null && typeof (value as { now?: unknown }).now === "function") {
    return value as Clock;
  }
  const hint = typeof value === "function" ? " (a function is not a Clock: pass { now: fn })" : "";
  throw new OptionsError(option, `must be a Clock, an object with a now() method returning milliseconds${hint}.`);
}
