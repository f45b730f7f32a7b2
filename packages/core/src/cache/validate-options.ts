import type { Clock } from "../clock/clock.js";
import { OptionsError } from "../errors/options-error.js";

/**
 * `value` when it is absent or a positive finite number; an `OptionsError` naming
 * `option` otherwise.
 * @internal
 */
export function optionalPositive(option: string, value: number | undefined): number | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== "number" || !Number.isFinite(value) || value <= 0) {
    throw new OptionsError(option, `must be a positive number of ${unitOf(option)}, got ${String(value)}`);
  }
  return value;
}

/**
 * `value` when it is absent or a finite number ≥ 0; an `OptionsError` naming `option` otherwise.
 * @internal
 */
export function optionalNonNegative(option: string, value: number | undefined): number | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== "number" || !Number.isFinite(value) || value < 0) {
    throw new OptionsError(option, `must be a number ≥ 0 of ${unitOf(option)}, got ${String(value)}`);
  }
  return value;
}

function unitOf(option: string): string {
  if (option.endsWith("Ms")) return "milliseconds";
  if (option.endsWith("Bytes")) return "bytes";
  return "items";
}

/**
 * `value` when it is absent or a {@link Clock} (`{ now() }`); an `OptionsError` naming
 * `option` otherwise. `kind` says which time it must give, for the message.
 * @internal
 */
export function optionalClock(option: string, value: Clock | undefined, kind: "wall" | "monotonic"): Clock | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== "object" || value === null || typeof value.now !== "function") {
    const reading = kind === "wall" ? "milliseconds since the epoch" : "monotonic milliseconds";
    throw new OptionsError(option, `must be a Clock: an object whose now() returns ${reading}`);
  }
  return value;
}
