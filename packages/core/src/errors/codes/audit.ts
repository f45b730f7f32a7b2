/** Codes raised by audit sinks (`fileAuditLog`) and the audit log verifier. */
export const AUDIT_ERROR_CODES = ["NG_ERR_AUDIT_WRITE", "NG_ERR_AUDIT_CLOSED", "NG_ERR_AUDIT_LOG_INVALID"] as const;
