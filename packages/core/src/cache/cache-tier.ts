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
 * One level of the tiered cache. Lower tiers hold signed bytes and are untrusted:
 * whatever comes up from them is verified again. Run `testCacheTier` from
 * `@nextgen/core/testing` against an implementation.
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
  /**
   * Optional, in-process tiers only: the live object stored under `key` with
   * `setObject`, or `undefined`. Synchronous because it is the warm path of every
   * create. The tiered cache uses the first layer that has it as L1, for verified,
   * frozen templates.
   */
  getObject?(key: string): CacheObjectEntry | undefined;
  /** Optional, in-process tiers only: stores a live object (a verified, frozen template). */
  setObject?(key: string, value: object, options: CacheObjectSetOptions): void;
  /** Optional, in-process tiers only: removes a live object; `true` if it was present. */
  deleteObject?(key: string): boolean;
  /** Optional, in-process tiers only: the keys of the live objects held. */
  objectKeys?(): IterableIterator<string>;
}

/**
 * A live object held by an in-process tier.
 *
 * @example
 * ```ts
 * const held = memory.getObject("security/auditor"); // { value, storedAt } or undefined
 * ```
 */
export interface CacheObjectEntry {
  /** The object, exactly as stored (never copied). */
  value: object;
  /** When it was stored, in milliseconds since the epoch. */
  storedAt: number;
}

/**
 * Options of `CacheTier.setObject`.
 *
 * @example
 * ```ts
 * memory.setObject(key, template, { sizeBytes: bytes.byteLength, ttlMs: 60_000 });
 * ```
 */
export interface CacheObjectSetOptions {
  /** What the object weighs for the tier's byte bound, such as its source bytes' length. */
  sizeBytes: number;
  /** Time to live in milliseconds; absent for the tier's default. */
  ttlMs?: number;
}
