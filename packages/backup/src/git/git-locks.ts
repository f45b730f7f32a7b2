import type { Dirent } from "node:fs";
import { readdir, rm } from "node:fs/promises";
import { join } from "node:path";
import { ioError } from "../errors/io-error.js";

/** The private index files snapshots use (`nextgen-index`, `nextgen-index-pre-restore`). */
const PRIVATE_INDEX_LOCK = /^nextgen-index(-[a-z-]+)?\.lock$/;

/** Lock files git's ref and config updates create at the top of a bare repository. */
const TOP_LEVEL_GIT_LOCKS = new Set(["HEAD.lock", "packed-refs.lock", "config.lock", "shallow.lock"]);

async function removeLocksBelow(directory: string, removed: string[], prefix: string): Promise<void> {
  let entries: Dirent[];
  try {
    entries = await readdir(directory, { withFileTypes: true });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return;
    throw ioError(error, directory, "list");
  }
  for (const entry of entries) {
    const path = join(directory, entry.name);
    if (entry.isDirectory()) await removeLocksBelow(path, removed, `${prefix}${entry.name}/`);
    else if (entry.name.endsWith(".lock")) {
      await rm(path, { force: true });
      removed.push(`${prefix}${entry.name}`);
    }
  }
}

/**
 * Removes git lock files a killed backup left in the repository. Called only while this
 * process holds the repository lock (`nextgen.lock`):
 * - the private index locks (`nextgen-index.lock`) are always stale then, because only a
 *   holder of the repository lock runs git on the private index;
 * - ref and config locks are removed only when `previousOwnerDied` (the repository lock
 *   was just taken over from a dead process): a live operator's `git` could hold those.
 * Returns the paths removed, relative to the repository.
 */
export async function removeStaleGitLocks(gitDir: string, previousOwnerDied: boolean): Promise<string[]> {
  let names: string[];
  try {
    names = await readdir(gitDir);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return [];
    throw ioError(error, gitDir, "list");
  }
  const removed: string[] = [];
  for (const name of names) {
    if (PRIVATE_INDEX_LOCK.test(name) || (previousOwnerDied && TOP_LEVEL_GIT_LOCKS.has(name))) {
      await rm(join(gitDir, name), { force: true }).catch((error) => {
        throw ioError(error, join(gitDir, name), "remove the stale git lock");
      });
      removed.push(name);
    }
  }
  if (previousOwnerDied) await removeLocksBelow(join(gitDir, "refs"), removed, "refs/");
  return removed;
}

/** Temporary files git writes while it creates objects and packs, before renaming them. */
const GIT_TEMPORARY_OBJECT = /^(tmp_obj_|tmp_pack_|tmp_idx_|tmp_rev_|tmp_bitmap_|tmp_mtimes_)/;

/**
 * Removes the temporary object and pack files a killed `git` left below `objects/` (git
 * itself only prunes them after two weeks). Called only after the repository lock was taken
 * over from a dead process: no git of ours is writing them then. Returns the paths removed,
 * relative to the repository.
 */
export async function removeGitTemporaryObjects(gitDir: string): Promise<string[]> {
  const objects = join(gitDir, "objects");
  const removed: string[] = [];
  let entries: Dirent[];
  try {
    entries = await readdir(objects, { withFileTypes: true });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return [];
    throw ioError(error, objects, "list");
  }
  for (const entry of entries) {
    if (!entry.isDirectory() || !(/^[0-9a-f]{2}$/.test(entry.name) || entry.name === "pack")) continue;
    const directory = join(objects, entry.name);
    for (const name of await readdir(directory)) {
      if (!GIT_TEMPORARY_OBJECT.test(name)) continue;
      await rm(join(directory, name), { force: true });
      removed.push(`objects/${entry.name}/${name}`);
    }
  }
  return removed;
}
