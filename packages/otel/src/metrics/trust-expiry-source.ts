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
  /**
   * The policy document (`TrustPolicy.document`): when present, the key whose `notAfter`
   * is the earliest names the gauge's `kid`, so the alert says which key to rotate.
   */
  readonly document?: { readonly keys?: readonly unknown[] } | undefined;
}

/** The earliest-expiring key: its `kid` (when the document names it) and `notAfter`. @internal */
export interface EarliestKeyExpiry {
  /** Seconds since the epoch. */
  readonly seconds: number;
  /** Key id, when the policy document says which key it is. */
  readonly kid: string | undefined;
}

/**
 * Reads the earliest expiry and which key it is; `undefined` when there is none or the
 * source fails (telemetry never throws).
 * @internal
 */
export function earliestKeyExpiry(source: TrustExpirySource): EarliestKeyExpiry | undefined {
  const seconds = earliestExpirySeconds(source);
  if (seconds === undefined) return undefined;
  try {
    for (const key of source.document?.keys ?? []) {
      const { kid, notAfter, revoked } = (key ?? {}) as { kid?: unknown; notAfter?: unknown; revoked?: unknown };
      if (typeof kid !== "string" || typeof notAfter !== "string" || revoked === true) continue;
      if (Date.parse(notAfter) / 1000 === seconds) return { seconds, kid };
    }
  } catch {
    // A document we cannot read only costs the kid.
  }
  return { seconds, kid: undefined };
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
