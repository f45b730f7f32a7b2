import { constants } from "node:fs";
import { mkdir, readdir, rm, stat } from "node:fs/promises";
import { join } from "node:path";
import type { Clock } from "../clock/clock.js";
import type { Codec } from "../codec/codec.js";
import { plain, publish } from "../diagnostics/publish.js";
import { NextGenError } from "../errors/next-gen-error.js";
import { OptionsError } from "../errors/options-error.js";
import { writeFileAtomic } from "../fs/write-file-atomic.js";
import { readBoundedFile } from "../source/read-bounded-file.js";
import type { CacheEntry, CacheSetOptions, CacheTier } from "./cache-tier.js";
import {
  decodeEnvelope,
  ENTRY_SUFFIX,
  encodeEnvelope,
  entryFileName,
  isEntryFileName,
  isPartialFileName,
} from "./file-entry.js";
import { ioFailure } from "./file-tier-errors.js";
import { optionalClock, optionalPositive } from "./validate-options.js";

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
  /** Largest entry file read back, in bytes; a larger one is evicted as corrupt. @default 4 MiB */
  maxEntryBytes?: number;
  /** Default time to live in milliseconds; absent for no expiry. */
  ttlMs?: number;
  /**
   * Wall clock (milliseconds since the epoch; tests inject a fake). Wall time on purpose:
   * expiry times are stored in the files and read by other processes.
   * @default wallClock
   */
  clock?: Clock;
}

// Temporary files of writes killed before their rename: older than this on open, nobody
// is still writing them (a live write lasts milliseconds), so they are removed.
const ORPHAN_GRACE_MS = 60_000;
// Entries are never followed through a link nor allowed to block on a FIFO.
const ENTRY_OPEN_FLAGS = constants.O_RDONLY | (constants.O_NOFOLLOW ?? 0) | (constants.O_NONBLOCK ?? 0);

interface Held {
  size: number;
  storedAt: number;
}

/**
 * A cache tier of files in one directory, shared by the processes of one machine and
 * kept across restarts. Entries hold signed bytes and are untrusted: the tiered cache
 * verifies whatever comes up. Writes are atomic and durable (`writeFileAtomic`: temporary file, fsync, rename); a corrupt
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
  const maxEntryBytes = optionalPositive("options.maxEntryBytes", options.maxEntryBytes) ?? 4 * 1024 * 1024;
  const defaultTtlMs = optionalPositive("options.ttlMs", options.ttlMs);
  const wall = optionalClock("options.clock", options.clock, "wall");
  const clock = wall === undefined ? Date.now : () => wall.now();
  const suffix = codec === undefined ? ".json" : ENTRY_SUFFIX;
  // Only files this tier writes are ever counted or removed, even in a directory shared by mistake.
  const isEntry = (file: string): boolean => isEntryFileName(file, suffix);
  // What this process believes is on disk, for the byte bound; loaded once from the directory.
  let index: Promise<Map<string, Held>> | undefined;
  let closed = false;
  let orphansRemoved = 0;

  const failure = (operation: string, cause: unknown): NextGenError => ioFailure(name, dir, operation, cause);
  const ensureOpen = (): void => {
    if (closed) throw new NextGenError("NG_ERR_CACHE_CLOSED", `cache tier "${name}" is closed`);
  };
  const loadIndex = (): Promise<Map<string, Held>> => {
    index ??= (async () => {
      await mkdir(dir, { recursive: true });
      const held = new Map<string, Held>();
      for (const file of await readdir(dir)) {
        const partial = isPartialFileName(file, suffix);
        if (!partial && !isEntry(file)) continue;
        const info = await stat(join(dir, file)).catch(() => undefined);
        if (info === undefined) continue;
        if (partial && clock() - info.mtimeMs >= ORPHAN_GRACE_MS) {
          // A write killed before its rename: nobody will finish it.
          if (
            await rm(join(dir, file)).then(
              () => true,
              () => false,
            )
          ) {
            orphansRemoved += 1;
            publish(plain.cacheEvict, () => ({ tier: name, key: file, reason: "orphan" as const }));
          }
          continue;
        }
        // Young temporaries count toward the byte bound (another process may be writing them).
        held.set(file, { size: info.size, storedAt: info.mtimeMs });
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
        raw = await readBoundedFile(join(dir, file), maxEntryBytes, undefined, ENTRY_OPEN_FLAGS);
      } catch (error) {
        const code = (error as NodeJS.ErrnoException).code;
        if (code === "ENOENT") return undefined;
        // A link (ELOOP under O_NOFOLLOW), a FIFO or device, or an oversize file: not an entry
        // this tier wrote. Evict it like a corrupt one; the tiered cache fetches again.
        if (code === "ELOOP" || code === "NG_ERR_SOURCE_NOT_A_FILE" || code === "NG_ERR_TEMPLATE_TOO_LARGE") {
          await removeFile(file, "corrupt", key).catch(() => undefined);
          return undefined;
        }
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
        await writeFileAtomic(join(dir, file), encoded);
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
      let held: Map<string, Held>;
      try {
        held = await loadIndex();
      } catch (error) {
        throw failure("measure", error);
      }
      let total = 0;
      for (const entry of held.values()) total += entry.size;
      return total;
    },
    async health() {
      if (closed) return { status: "unhealthy" as const, reason: "closed" };
      try {
        await loadIndex();
        return orphansRemoved === 0
          ? { status: "healthy" as const }
          : { status: "healthy" as const, reason: `removed ${orphansRemoved} temporary files of interrupted writes` };
      } catch (error) {
        return { status: "unhealthy" as const, reason: failure("open", error).message };
      }
    },
    async close(): Promise<void> {
      closed = true;
    },
  };
}
