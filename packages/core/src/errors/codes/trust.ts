/** Codes raised by trust policies, signers and state stores. */
export const TRUST_ERROR_CODES = ["NG_ERR_TRUST_POLICY_INVALID"] as const;
