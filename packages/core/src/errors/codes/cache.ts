/** Codes raised by cache tiers and the tiered cache. */
export const CACHE_ERROR_CODES = [
  "NG_ERR_CACHE_TIER",
  "NG_ERR_CACHE_TIMEOUT",
  "NG_ERR_CACHE_CLOSED",
  "NG_ERR_CACHE_ABORTED",
] as const;
