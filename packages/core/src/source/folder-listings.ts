import { type BigIntStats, realpathSync, statSync } from "node:fs";
import { realpath, stat } from "node:fs/promises";
import { sep } from "node:path";

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
  /**
   * `stat` and `realpath` folders with blocking system calls on this thread instead of
   * libuv's thread pool (see `DirectorySourceOptions.reads`); each check then runs when it
   * is asked for, not batched per turn.
   * @default false
   */
  sync?: boolean;
}

/** What listing a folder yields: its entry names, and which of them are regular files. @internal */
export interface FolderEntries {
  names: string[];
  /** Names whose directory entry is a regular file (not a symlink, not unknown). */
  regular: ReadonlySet<string>;
}

/** A folder's sorted names and, when it lies inside the root, its real path. @internal */
export interface Listing extends FolderEntries {
  /**
   * Real path of the folder (symlinks resolved), set only when it lies below the root's
   * real path: a regular file in it is then inside the root without a `realpath` of its own.
   */
  realFolder: string | undefined;
  /** Sorted names by their leaf (`a.json`, `a@2.0.0.json.zst` → `a`), so a lookup scans only its own files. */
  byLeaf: ReadonlyMap<string, readonly string[]>;
}

/** A kept listing and the check that it still describes the folder. @internal */
export interface KeptListing extends Listing {
  /** One `stat` of the folder (shared by concurrent checks): false when it changed or is gone since it was listed. */
  stillCurrent(): Promise<boolean>;
}

/** Listings of template folders, reused while the folder's stamp is unchanged. @internal */
export interface FolderListings {
  /** The kept listing of `folder`, if any. */
  kept(folder: string): KeptListing | undefined;
  /** Lists `folder` with `readEntries` and keeps the result when the folder is quiet and did not change meanwhile. */
  read(folder: string, readEntries: () => Promise<FolderEntries>): Promise<Listing>;
  /** Drops the listing of `folder`. */
  forget(folder: string): void;
}

const NS_PER_MS = 1_000_000n;

type Stamp = { stamp: string; changedMs: number } | undefined;

/** Identity and change times of a folder (a new inode, entry or rename changes it), or undefined. */
function stampFrom(info: BigIntStats | undefined): Stamp {
  if (info === undefined || !info.isDirectory()) return undefined;
  return {
    stamp: `${info.dev}:${info.ino}:${info.mtimeNs}:${info.ctimeNs}:${info.size}`,
    // Adding, removing or renaming an entry sets mtime to now: an mtime older than the
    // kernel's tick can only change, never repeat (ctime moves with chmod too, so it is compared, not aged).
    changedMs: Number(info.mtimeNs / NS_PER_MS),
  };
}
const stampOf = (folder: string): Promise<Stamp> => stat(folder, { bigint: true }).then(stampFrom, () => undefined);
function stampOfSync(folder: string): Stamp {
  try {
    return stampFrom(statSync(folder, { bigint: true }));
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
/** `names` grouped by leaf: the part before `@`, or before `.json` / `.json.zst`. */
function byLeafOf(names: readonly string[]): Map<string, string[]> {
  const groups = new Map<string, string[]>();
  for (const name of names) {
    const suffix = name.endsWith(".json") ? 5 : name.endsWith(".json.zst") ? 9 : -1;
    if (suffix === -1) continue;
    const stem = name.slice(0, name.length - suffix);
    const at = stem.indexOf("@");
    const leaf = at === -1 ? stem : stem.slice(0, at);
    const group = groups.get(leaf);
    if (group === undefined) groups.set(leaf, [name]);
    else group.push(name);
  }
  return groups;
}

/** `realFolder` if it lies below `realRoot`. */
const below = (realRoot: string, realFolder: string): string | undefined =>
  realFolder.startsWith(realRoot.endsWith(sep) ? realRoot : realRoot + sep) ? realFolder : undefined;

/** The real path of `folder` if it lies below the real path of `root`. */
async function realFolderOf(folder: string, root: string, sync: boolean): Promise<string | undefined> {
  try {
    if (sync) return below(realpathSync(root), realpathSync(folder));
    const [realRoot, realFolder] = await Promise.all([realpath(root), realpath(folder)]);
    return below(realRoot, realFolder);
  } catch {
    return undefined;
  }
}

export function folderListings(root: string, options: FolderListingsOptions = {}): FolderListings {
  const quietMs = options.quietMs ?? 2_000;
  const now = options.now ?? Date.now;
  const maxFolders = options.maxFolders ?? 4_096;
  const sync = options.sync === true;
  const stampNow = async (folder: string): Promise<Stamp> => (sync ? stampOfSync(folder) : stampOf(folder));
  const listings = new Map<string, Listing & { stamp: string }>();
  // Concurrent lookups in one folder (a start-up prewarm) share one listing, and one check.
  const pending = new Map<string, Promise<Listing>>();
  const checks = new Map<string, Promise<string | undefined>>();

  /** Lookups in the same turn share one `stat`, issued after all of them were made (so a write before any of them is seen). */
  function currentStamp(folder: string): Promise<string | undefined> {
    if (sync) return Promise.resolve(stampOfSync(folder)?.stamp);
    let check = checks.get(folder);
    if (check === undefined) {
      check = Promise.resolve().then(() => {
        checks.delete(folder);
        return stampOf(folder).then((stamp) => stamp?.stamp);
      });
      checks.set(folder, check);
    }
    return check;
  }

  async function list(folder: string, readEntries: () => Promise<FolderEntries>): Promise<Listing> {
    const before = await stampNow(folder);
    const [entries, realFolder] = await Promise.all([readEntries(), realFolderOf(folder, root, sync)]);
    const names = entries.names.sort();
    const listing: Listing = { names, regular: entries.regular, realFolder, byLeaf: byLeafOf(names) };
    if (before === undefined || now() - before.changedMs < quietMs) return listing;
    const after = await stampNow(folder);
    if (after?.stamp !== before.stamp) return listing;
    if (listings.size >= maxFolders && !listings.has(folder)) {
      listings.delete(listings.keys().next().value as string);
    }
    listings.set(folder, { ...listing, stamp: before.stamp });
    return listing;
  }

  return {
    kept(folder) {
      const listing = listings.get(folder);
      if (listing === undefined) return undefined;
      return { ...listing, stillCurrent: async () => (await currentStamp(folder)) === listing.stamp };
    },
    read(folder, readEntries) {
      const shared = pending.get(folder);
      // A shared listing that failed (the first caller's signal aborted it) is read again.
      if (shared !== undefined) return shared.catch(() => list(folder, readEntries));
      const listing = list(folder, readEntries).finally(() => pending.delete(folder));
      pending.set(folder, listing);
      return listing;
    },
    forget(folder) {
      listings.delete(folder);
    },
  };
}
