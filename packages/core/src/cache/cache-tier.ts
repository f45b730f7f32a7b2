/**
 * One entry stored in a cache tier.
 *
 * @example
 * ```ts
 * const entry = await tier.get("security/auditor@1.2.0");
 * if (entry) console.log(entry.value.byteLength, Date.now() - entry.storedAt);
 * ```
 */
export interface CacheEntry {
  /** The stored bytes (signed template JSON for lower tiers). */
  value: Uint8Array;
  /** When the entry was stored, in milliseconds since the epoch. */
  storedAt: number;
  /** When the entry expires, in milliseconds since the epoch; absent for no expiry. */
  expiresAt?: number;
}

/**
 * Options of `CacheTier.set`.
 *
 * @example
 * ```ts
 * await tier.set(key, bytes, { ttlMs: 60_000 });
 * ```
 */
export interface CacheSetOptions {
  /** Time to live in milliseconds; absent for the tier's default. */
  ttlMs?: number;
}

/**
 * Options of cache reads and writes.
 *
 * @example
 * ```ts
 * await tier.get(key, { signal: AbortSignal.timeout(250) });
 * ```
 */
export interface CacheOperationOptions {
  /** Aborts a slow operation (the tiered cache uses it for per-tier timeouts). */
  signal?: AbortSignal;
}

/**
 * A byte driver below the tiered cache's in-process cache (unstorage's driver shape:
 * get, set and delete bytes; optional capabilities are optional members). Tiers hold
 * signed bytes and are untrusted: whatever comes up from them is verified again. Run
 * `testCacheTier` from `@nextgen/core/testing` against an implementation.
 *
 * @example
 * ```ts
 * const noCache: CacheTier = {
 *   name: "none",
 *   get: async () => undefined,
 *   set: async () => {},
 *   delete: async () => false,
 *   clear: async () => {},
 * };
 * ```
 */
export interface CacheTier {
  /** Short name (`memory`, `file`, `redis`) used in metrics and diagnostics. */
  readonly name: string;
  /** The entry under `key`, or `undefined` when absent or expired. */
  get(key: string, options?: CacheOperationOptions): Promise<CacheEntry | undefined>;
  /** Stores `value` under `key`. */
  set(key: string, value: Uint8Array, options?: CacheSetOptions & CacheOperationOptions): Promise<void>;
  /** Removes `key`; resolves `true` if it was present. */
  delete(key: string, options?: CacheOperationOptions): Promise<boolean>;
  /** Removes every entry of this tier. */
  clear(options?: CacheOperationOptions): Promise<void>;
  /** Optional: bytes currently held. */
  size?(): Promise<number>;
  /** Optional: health for `factory.health()`. */
  health?(): Promise<{ status: "healthy" | "degraded" | "unhealthy"; reason?: string }>;
  /** Optional: releases connections and handles. Idempotent. */
  close?(): Promise<void>;
}
