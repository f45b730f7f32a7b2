/**
 * Codes raised when a template's signatures do not satisfy the trust policy, one per
 * refusal reason. Each is raised as a `SignatureError` whose `reason` names the same
 * refusal (`NG_ERR_SIGNATURE_ROLLBACK` ↔ `reason: "rollback"`).
 */
export const SIGNATURE_ERROR_CODES = [
  "NG_ERR_SIGNATURE_MISSING",
  "NG_ERR_SIGNATURE_MALFORMED",
  "NG_ERR_SIGNATURE_BAD",
  "NG_ERR_SIGNATURE_KEY_UNKNOWN",
  "NG_ERR_SIGNATURE_KEY_REVOKED",
  "NG_ERR_SIGNATURE_KEY_OUT_OF_WINDOW",
  "NG_ERR_SIGNATURE_ALGORITHM",
  "NG_ERR_SIGNATURE_EXPIRED",
  "NG_ERR_SIGNATURE_THRESHOLD",
  "NG_ERR_SIGNATURE_NOT_DELEGATED",
  "NG_ERR_SIGNATURE_CHAIN_NOT_DELEGATED",
  "NG_ERR_SIGNATURE_ROLLBACK",
  "NG_ERR_SIGNATURE_VERSION_REUSED",
] as const;
