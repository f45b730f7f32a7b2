import { randomBytes } from "node:crypto";
import { link, open, rename, rm } from "node:fs/promises";
import { basename, dirname, join } from "node:path";
import { syncDirectory } from "./sync-directory.js";

/** How {@link writeFileAtomic} writes; every field is optional. */
export interface WriteFileAtomicOptions {
  /**
   * Permission bits of the new file (before the umask). The file is always new: a replaced
   * file's mode is not carried over.
   * @default 0o644
   */
  readonly mode?: number;
  /**
   * `true` replaces an existing `path` (a rename); `false` refuses one with the system's
   * `EEXIST` error (a hard link, which never replaces), and the existing file stays as it was.
   * @default true
   */
  readonly overwrite?: boolean;
}

/**
 * Names of the temporary siblings {@link writeFileAtomic} writes: `.<name>.<12 hex>.partial`.
 * One a killed process leaves behind matches this, so a sweep under the owner's lock can remove it.
 *
 * @example
 * ```ts
 * const leftovers = (await readdir(dir)).filter((name) => PARTIAL_FILE.test(name));
 * ```
 */
export const PARTIAL_FILE: RegExp = /^\..+\.[0-9a-f]{12}\.partial$/;

/**
 * Writes `data` to `path` so that readers, and the disk after a power cut, hold either the old
 * file or the whole new one: write a temporary sibling ({@link PARTIAL_FILE}), fsync it, rename
 * (or link) it to `path`, then fsync the directory so the new name itself is durable. A failure
 * removes the temporary file and throws the system error unchanged (`EEXIST` when `overwrite`
 * is `false` and `path` exists), for the caller to wrap in its own coded error.
 *
 * The one atomic write of @nextgen: the CLI, backup, the trust state store and the file tier
 * all use it, so a durability fix lands everywhere.
 *
 * @example
 * ```ts
 * import { writeFileAtomic } from "@nextgen/core/internal";
 *
 * await writeFileAtomic("trust.state.json", `${JSON.stringify(state)}\n`, { mode: 0o600 });
 * ```
 */
export async function writeFileAtomic(
  path: string,
  data: Uint8Array | string,
  options: WriteFileAtomicOptions = {},
): Promise<void> {
  const temporary = join(dirname(path), `.${basename(path)}.${randomBytes(6).toString("hex")}.partial`);
  try {
    const handle = await open(temporary, "wx", options.mode ?? 0o644);
    try {
      await handle.writeFile(data);
      await handle.sync();
    } finally {
      await handle.close();
    }
    if (options.overwrite === false) await link(temporary, path);
    else await rename(temporary, path);
  } finally {
    // After a rename there is nothing left to remove; after a link or a failure, the temporary name.
    await rm(temporary, { force: true }).catch(() => {});
  }
  await syncDirectory(dirname(path));
}
