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
