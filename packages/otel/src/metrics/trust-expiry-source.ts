/**
 * Where the earliest trust-key expiry comes from: core's `TrustPolicy` has this getter
 * (`earliestKeyExpiry`, the earliest `notAfter` among non-revoked keys). Typed
 * structurally so any object with the getter works.
 *
 * @example
 * ```ts
 * const trust: TrustExpirySource = trustPolicy(document); // core's TrustPolicy fits
 * instrument({ trust });
 * ```
 */
export interface TrustExpirySource {
  /** The earliest key `notAfter`, or `undefined` when no key has one. */
  readonly earliestKeyExpiry: Date | undefined;
}

/**
 * Reads the earliest expiry in seconds since the epoch; `undefined` when there is none or
 * the source fails (telemetry never throws).
 * @internal
 */
export function earliestExpirySeconds(source: TrustExpirySource): number | undefined {
  try {
    const expiry = source.earliestKeyExpiry;
    return expiry instanceof Date && !Number.isNaN(expiry.getTime()) ? expiry.getTime() / 1000 : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Checks the `trust` option of `instrument` and `registerPrometheusMetrics`.
 * @internal
 */
export function isTrustExpirySource(value: unknown): value is TrustExpirySource {
  return typeof value === "object" && value !== null && "earliestKeyExpiry" in value;
}
