/** Codes raised by cache tiers and the tiered cache. */
export const CACHE_ERROR_CODES = ["NG_ERR_CACHE_TIER"] as const;
