/** Codes raised by template sources. */
export const SOURCE_ERROR_CODES = [
  "NG_ERR_SOURCE_ID_MISMATCH",
  "NG_ERR_SOURCE_ID_INVALID",
  "NG_ERR_SOURCE_CODEC_REQUIRED",
  "NG_ERR_SOURCE_READ",
] as const;
