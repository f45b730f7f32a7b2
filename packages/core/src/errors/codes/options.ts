/** Codes for invalid options passed to a factory function or constructor. */
export const OPTIONS_ERROR_CODES = ["NG_ERR_OPTIONS_INVALID"] as const;
