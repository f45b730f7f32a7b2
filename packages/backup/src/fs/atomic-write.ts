import { writeFileAtomic as writeDurably } from "@nextgen/core/internal";
import { ioError } from "../errors/io-error.js";

/**
 * Writes `data` to `path` with core's one atomic write (temporary sibling, fsync, rename, fsync
 * of the directory): readers see the old file or the whole new one. A failure (a full disk, a
 * permission) throws `NG_ERR_BACKUP_IO` naming `path`; a temporary file a killed process leaves
 * behind matches core's `PARTIAL_FILE` and is removed by the next locked operation.
 */
export async function writeFileAtomic(path: string, data: Uint8Array | string): Promise<void> {
  try {
    await writeDurably(path, data);
  } catch (error) {
    throw ioError(error, path, "write");
  }
}
