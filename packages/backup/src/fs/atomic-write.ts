import { randomBytes } from "node:crypto";
import { open, rename, rm } from "node:fs/promises";
import { basename, dirname, join } from "node:path";
import { ioError } from "../errors/io-error.js";

/** Names of the temporary siblings {@link writeFileAtomic} writes: `.<name>.<12 hex>.partial`. */
export const PARTIAL_FILE: RegExp = /^\..+\.[0-9a-f]{12}\.partial$/;

/**
 * Writes `data` to `path` so that readers see either the old file or the whole new one:
 * write a temporary sibling, flush it to disk, then rename it over the target. A failure
 * (a full disk, a permission) removes the temporary file and throws `NG_ERR_BACKUP_IO`
 * naming `path`; one a killed process leaves behind matches {@link PARTIAL_FILE} and is
 * removed by the next locked operation.
 */
export async function writeFileAtomic(path: string, data: Uint8Array | string): Promise<void> {
  const temporary = join(dirname(path), `.${basename(path)}.${randomBytes(6).toString("hex")}.partial`);
  try {
    const handle = await open(temporary, "wx", 0o644);
    try {
      await handle.writeFile(data);
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(temporary, path);
  } catch (error) {
    await rm(temporary, { force: true });
    throw ioError(error, path, "write");
  }
}
