/** Codes raised by codecs (see `@nextgen/compression`). */
export const CODEC_ERROR_CODES = [
  "NG_ERR_CODEC_CORRUPT",
  "NG_ERR_CODEC_TOO_LARGE",
  "NG_ERR_CODEC_DICTIONARY",
  "NG_ERR_CODEC_UNAVAILABLE",
  "NG_ERR_CODEC_IO",
] as const;
