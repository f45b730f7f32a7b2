/** Codes raised when a template's signatures do not satisfy the trust policy. */
export const SIGNATURE_ERROR_CODES = ["NG_ERR_SIGNATURE_INVALID"] as const;
