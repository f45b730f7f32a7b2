import { readdir, rm } from "node:fs/promises";
import { join } from "node:path";
import { PARTIAL_FILE } from "@nextgen/core/internal";
import { ioError } from "../errors/io-error.js";

/** Leftovers of a lock takeover a killed process interrupted (`nextgen.lock.stale-<hex>`). */
const STALE_LOCK_ASIDE = /^nextgen\.lock\.stale-[0-9a-f]{12}$/;

/**
 * Removes the temporary files a killed backup leaves in `directory`: `writeFileAtomic`'s
 * `.<name>.<hex>.partial` siblings and moved-aside stale locks. Only names this package
 * makes are touched (a `notes.partial` of the operator's stays). Runs under the repository
 * lock, so no live operation of ours is writing them. Returns the names removed.
 */
export async function cleanTemporaryFiles(directory: string): Promise<string[]> {
  let names: string[];
  try {
    names = await readdir(directory);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return [];
    throw ioError(error, directory, "list");
  }
  const removed: string[] = [];
  for (const name of names) {
    if (!PARTIAL_FILE.test(name) && !STALE_LOCK_ASIDE.test(name)) continue;
    await rm(join(directory, name), { force: true }).catch((error) => {
      throw ioError(error, join(directory, name), "remove the temporary file");
    });
    removed.push(name);
  }
  return removed;
}
