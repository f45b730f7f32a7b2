import type { HrTime } from "@opentelemetry/api";

/**
 * Converts milliseconds since the epoch (as `performance.timeOrigin + performance.now()`)
 * to an `HrTime`, keeping sub-millisecond precision.
 * @internal
 */
export function epochMsToHrTime(epochMs: number): HrTime {
  const seconds = Math.floor(epochMs / 1000);
  return [seconds, Math.round((epochMs - seconds * 1000) * 1e6)];
}

/**
 * Now, in milliseconds since the epoch with sub-millisecond precision.
 * @internal
 */
export function nowEpochMs(): number {
  return performance.timeOrigin + performance.now();
}
