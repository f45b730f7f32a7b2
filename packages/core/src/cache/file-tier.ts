import { randomUUID } from "node:crypto";
import { mkdir, readdir, readFile, rename, rm, stat, writeFile } from "node:fs/promises";
import { join } from "node:path";
import type { Codec } from "../codec/codec.js";
import { plain, publish } from "../diagnostics/publish.js";
import { NextGenError } from "../errors/next-gen-error.js";
import { OptionsError } from "../errors/options-error.js";
import type { CacheEntry, CacheSetOptions, CacheTier } from "./cache-tier.js";
import {
  decodeEnvelope,
  ENTRY_SUFFIX,
  encodeEnvelope,
  entryFileName,
  isEntryFileName,
  isPartialFileName,
} from "./file-entry.js";
import { optionalPositive } from "./validate-options.js";

/**
 * Options of {@link fileTier}.
 *
 * @example
 * ```ts
 * fileTier({ dir: "/var/cache/nextgen", codec: zstdCodec(), maxBytes: 512 * 1024 * 1024 });
 * ```
 */
export interface FileTierOptions {
  /** Directory of the entries; created when missing. Give each cache its own directory. */
  dir: string;
  /**
   * Codec of the entries, such as `createZstdCodec()` of `@nextgen/compression`: entries
   * are then `.json.zst` files. Without one, entries are plain `.json`.
   */
  codec?: Codec;
  /** Tier name in diagnostics and health. @default "file" */
  name?: string;
  /** Most bytes on disk; the oldest entries leave first. @default 256 MiB */
  maxBytes?: number;
  /** Default time to live in milliseconds; absent for no expiry. */
  ttlMs?: number;
  /** Current time in milliseconds since the epoch (tests inject a fake). @default Date.now */
  clock?: () => number;
}

interface Held {
  size: number;
  storedAt: number;
}

/**
 * A cache tier of files in one directory, shared by the processes of one machine and
 * kept across restarts. Entries hold signed bytes and are untrusted: the tiered cache
 * verifies whatever comes up. Writes are atomic (temporary file + rename); a corrupt
 * entry is evicted and reads as a miss, so it is fetched again.
 *
 * @example
 * ```ts
 * const codec = await createZstdCodec();
 * const cache = { layers: [memoryTier(), fileTier({ dir: "/var/cache/agents", codec })] };
 * ```
 */
export function fileTier(options: FileTierOptions): CacheTier {
  if (typeof options?.dir !== "string" || options.dir.length === 0) {
    throw new OptionsError("options.dir", "must be a non-empty directory path");
  }
  const { dir, codec } = options;
  const name = options.name ?? "file";
  const maxBytes = optionalPositive("options.maxBytes", options.maxBytes) ?? 256 * 1024 * 1024;
  const defaultTtlMs = optionalPositive("options.ttlMs", options.ttlMs);
  const clock = options.clock ?? Date.now;
  const suffix = codec === undefined ? ".json" : ENTRY_SUFFIX;
  // Only files this tier writes are ever counted or removed, even in a directory shared by mistake.
  const isEntry = (file: string): boolean => isEntryFileName(file, suffix);
  // What this process believes is on disk, for the byte bound; loaded once from the directory.
  let index: Promise<Map<string, Held>> | undefined;
  let closed = false;

  const failure = (operation: string, cause: unknown): NextGenError =>
    NextGenError.is(cause)
      ? cause
      : new NextGenError("NG_ERR_CACHE_TIER", `file cache tier "${name}" failed to ${operation} in ${dir}`, { cause });
  const ensureOpen = (): void => {
    if (closed) throw new NextGenError("NG_ERR_CACHE_CLOSED", `cache tier "${name}" is closed`);
  };
  const loadIndex = (): Promise<Map<string, Held>> => {
    index ??= (async () => {
      await mkdir(dir, { recursive: true });
      const held = new Map<string, Held>();
      for (const file of await readdir(dir)) {
        if (!isEntry(file)) continue;
        const info = await stat(join(dir, file)).catch(() => undefined);
        if (info !== undefined) held.set(file, { size: info.size, storedAt: info.mtimeMs });
      }
      return held;
    })();
    index.catch(() => {
      index = undefined;
    });
    return index;
  };
  const removeFile = async (
    file: string,
    reason: "expired" | "corrupt" | "capacity" | undefined,
    key: string = file,
  ): Promise<boolean> => {
    const held = await loadIndex();
    held.delete(file);
    const existed = await rm(join(dir, file)).then(
      () => true,
      (error: NodeJS.ErrnoException) => {
        if (error.code === "ENOENT") return false;
        throw error;
      },
    );
    if (existed && reason !== undefined) publish(plain.cacheEvict, () => ({ tier: name, key, reason }));
    return existed;
  };
  const enforceBound = async (keep: string): Promise<void> => {
    const held = await loadIndex();
    let total = 0;
    for (const entry of held.values()) total += entry.size;
    if (total <= maxBytes) return;
    const oldestFirst = [...held.entries()].sort((a, b) => a[1].storedAt - b[1].storedAt);
    for (const [file, entry] of oldestFirst) {
      if (total <= maxBytes) break;
      if (file === keep) continue;
      total -= entry.size;
      await removeFile(file, "capacity");
    }
  };

  return {
    name,
    async get(key): Promise<CacheEntry | undefined> {
      ensureOpen();
      const file = entryFileName(key, suffix);
      let raw: Uint8Array;
      try {
        raw = await readFile(join(dir, file));
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === "ENOENT") return undefined;
        throw failure("read", error);
      }
      const entry = await decodeEnvelope(raw, key, codec).catch(() => undefined);
      if (entry === undefined) {
        await removeFile(file, "corrupt", key).catch(() => undefined);
        return undefined;
      }
      if (entry.expiresAt !== undefined && clock() >= entry.expiresAt) {
        await removeFile(file, "expired", key).catch(() => undefined);
        return undefined;
      }
      return entry;
    },
    async set(key, value, setOptions?: CacheSetOptions): Promise<void> {
      ensureOpen();
      const storedAt = clock();
      const ttlMs = setOptions?.ttlMs ?? defaultTtlMs;
      const file = entryFileName(key, suffix);
      try {
        const held = await loadIndex();
        const encoded = await encodeEnvelope(
          key,
          value,
          storedAt,
          ttlMs === undefined ? undefined : storedAt + ttlMs,
          codec,
        );
        const temporary = join(dir, `.${file}.${randomUUID()}.partial`);
        try {
          await writeFile(temporary, encoded, { flag: "wx" });
          await rename(temporary, join(dir, file));
        } catch (error) {
          await rm(temporary, { force: true });
          throw error;
        }
        held.set(file, { size: encoded.byteLength, storedAt });
        await enforceBound(file);
      } catch (error) {
        throw failure("write", error);
      }
    },
    async delete(key): Promise<boolean> {
      ensureOpen();
      return removeFile(entryFileName(key, suffix), undefined).catch((error: unknown) => {
        throw failure("delete", error);
      });
    },
    async clear(): Promise<void> {
      ensureOpen();
      try {
        await mkdir(dir, { recursive: true });
        for (const file of await readdir(dir)) {
          if (isEntry(file) || isPartialFileName(file, suffix)) await rm(join(dir, file), { force: true });
        }
        index = undefined;
      } catch (error) {
        throw failure("clear", error);
      }
    },
    async size(): Promise<number> {
      let total = 0;
      for (const entry of (await loadIndex()).values()) total += entry.size;
      return total;
    },
    async health() {
      if (closed) return { status: "unhealthy" as const, reason: "closed" };
      try {
        await loadIndex();
        return { status: "healthy" as const };
      } catch (error) {
        return { status: "unhealthy" as const, reason: `cannot use ${dir}: ${(error as Error).message}` };
      }
    },
    async close(): Promise<void> {
      closed = true;
    },
  };
}
