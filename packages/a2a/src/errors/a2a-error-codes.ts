/**
 * Every code `@nextgen/a2a` raises itself (documented in `docs/errors.md`; a test checks each
 * is raised). Signature refusals are core's `NG_ERR_SIGNATURE_*`.
 */
export const A2A_ERROR_CODES = ["NG_ERR_A2A_CARD_INVALID", "NG_ERR_A2A_REQUEST_INVALID"] as const;

/**
 * A code `@nextgen/a2a` raises, on a `NextGenError`.
 *
 * @example
 * ```ts
 * const code: A2aErrorCode = "NG_ERR_A2A_CARD_INVALID";
 * if (NextGenError.is(error, code)) refuseCard();
 * ```
 */
export type A2aErrorCode = (typeof A2A_ERROR_CODES)[number];
