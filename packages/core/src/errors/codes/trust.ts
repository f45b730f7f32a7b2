/** Codes raised by trust policies, signers and state stores. */
export const TRUST_ERROR_CODES = [
  "NG_ERR_TRUST_POLICY_INVALID",
  "NG_ERR_TRUST_KEY_INVALID",
  "NG_ERR_TRUST_SIGNER_FAILED",
  "NG_ERR_TRUST_STATE",
  "NG_ERR_TRUST_OVERRIDE_REFUSED",
] as const;
