import { stat } from "node:fs/promises";

/** Options of {@link folderListings}. @internal */
export interface FolderListingsOptions {
  /**
   * A listing is kept only when the folder has not changed for this long, in
   * milliseconds: directory times tick at the kernel's clock granularity, so a change in
   * the same tick as the listing could leave the time as it was (git's "racy" entries).
   * @default 2000
   */
  quietMs?: number;
  /** Wall clock compared with the folder's times, in milliseconds since the epoch. @default Date.now */
  now?: () => number;
  /** Folders whose listings are kept at once (the oldest is dropped beyond). @default 4096 */
  maxFolders?: number;
}

/** A kept listing and the check that it still describes the folder. @internal */
export interface KeptListing {
  readonly names: readonly string[];
  /** One `stat` of the folder: false when it changed (or is gone) since it was listed. */
  stillCurrent(): Promise<boolean>;
}

/** Listings of template folders, reused while the folder's stamp is unchanged. @internal */
export interface FolderListings {
  /** The kept listing of `folder`, if any. */
  kept(folder: string): KeptListing | undefined;
  /** Lists `folder` with `readNames` and keeps the result when the folder is quiet and did not change meanwhile. */
  read(folder: string, readNames: () => Promise<string[]>): Promise<readonly string[]>;
  /** Drops the listing of `folder`. */
  forget(folder: string): void;
}

const NS_PER_MS = 1_000_000n;

/** Identity and change times of a folder (a new inode, entry or rename changes it), or undefined. */
async function stampOf(folder: string): Promise<{ stamp: string; changedMs: number } | undefined> {
  try {
    const info = await stat(folder, { bigint: true });
    if (!info.isDirectory()) return undefined;
    return {
      stamp: `${info.dev}:${info.ino}:${info.mtimeNs}:${info.ctimeNs}:${info.size}`,
      // Adding, removing or renaming an entry sets mtime to now: an mtime older than the
      // kernel's tick can only change, never repeat (ctime moves with chmod too, so it is compared, not aged).
      changedMs: Number(info.mtimeNs / NS_PER_MS),
    };
  } catch {
    return undefined;
  }
}

/**
 * Keeps each folder's listing with its `stat` stamp, so a lookup costs one `stat` (which
 * can run beside the file read) instead of a `readdir`. Creating, removing or renaming an
 * entry changes the folder's mtime and ctime; replacing the folder (or re-pointing a
 * symlink above it) changes its inode: either makes the stamp differ and the folder is
 * listed again. A folder changed within `quietMs` is listed every time.
 * @internal
 */
export function folderListings(options: FolderListingsOptions = {}): FolderListings {
  const quietMs = options.quietMs ?? 2_000;
  const now = options.now ?? Date.now;
  const maxFolders = options.maxFolders ?? 4_096;
  const listings = new Map<string, { stamp: string; names: readonly string[] }>();
  // Concurrent lookups in one folder (a start-up prewarm) share one listing.
  const pending = new Map<string, Promise<readonly string[]>>();

  async function list(folder: string, readNames: () => Promise<string[]>): Promise<readonly string[]> {
    const before = await stampOf(folder);
    const names = (await readNames()).sort();
    if (before === undefined || now() - before.changedMs < quietMs) return names;
    const after = await stampOf(folder);
    if (after?.stamp !== before.stamp) return names;
    if (listings.size >= maxFolders && !listings.has(folder)) {
      listings.delete(listings.keys().next().value as string);
    }
    listings.set(folder, { stamp: before.stamp, names });
    return names;
  }

  return {
    kept(folder) {
      const listing = listings.get(folder);
      if (listing === undefined) return undefined;
      return {
        names: listing.names,
        stillCurrent: async () => (await stampOf(folder))?.stamp === listing.stamp,
      };
    },
    read(folder, readNames) {
      const shared = pending.get(folder);
      // A shared listing that failed (the first caller's signal aborted it) is read again.
      if (shared !== undefined) return shared.catch(() => list(folder, readNames));
      const listing = list(folder, readNames).finally(() => pending.delete(folder));
      pending.set(folder, listing);
      return listing;
    },
    forget(folder) {
      listings.delete(folder);
    },
  };
}
