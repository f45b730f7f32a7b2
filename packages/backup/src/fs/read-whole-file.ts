import { open } from "node:fs/promises";
import type { NextGenError } from "@nextgen/core";
import type { BackupErrorCode } from "../errors/backup-error-codes.js";
import { ioError } from "../errors/io-error.js";

/** How {@link readWholeFile} judges the file before and after reading it. */
export interface ReadWholeFileChecks {
  /** What is being done, for I/O errors ("read the manifest"). */
  readonly doing: string;
  /** The error to throw when the file does not exist. */
  readonly notFound: (cause: unknown) => NextGenError<BackupErrorCode>;
  /**
   * Called with the file's size before a byte is read; throws to refuse it (not a regular
   * file, over a bound, not the size a manifest says). `isFile` is false for a directory,
   * a FIFO, a device.
   */
  readonly admit: (size: number, isFile: boolean) => void;
  /** Called when fewer bytes than the size were read (the file shrank); throws to refuse. */
  readonly short?: (bytesRead: number, size: number) => void;
}

/**
 * Reads a whole file through one handle, letting `checks.admit` refuse it by its size before
 * anything is allocated or read, so an oversized or special file costs no memory. System
 * errors become `NG_ERR_BACKUP_IO` naming the path; a missing file is `checks.notFound`.
 *
 * @example
 * ```ts
 * const bytes = await readWholeFile("/backups/m.json", {
 *   doing: "read the manifest",
 *   notFound: (cause) => new NextGenError("NG_ERR_BACKUP_NOT_FOUND", "No such backup.", { cause }),
 *   admit: (size, isFile) => {
 *     if (!isFile || size > 1_048_576) throw new NextGenError("NG_ERR_BACKUP_TOO_LARGE", "Too large.");
 *   },
 * });
 * ```
 */
export async function readWholeFile(path: string, checks: ReadWholeFileChecks): Promise<Buffer> {
  let handle: Awaited<ReturnType<typeof open>>;
  try {
    handle = await open(path, "r");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") throw checks.notFound(error);
    throw ioError(error, path, checks.doing);
  }
  try {
    const info = await handle.stat();
    checks.admit(info.size, info.isFile());
    const buffer = Buffer.alloc(info.size);
    const { bytesRead } = await handle.read(buffer, 0, info.size, 0);
    if (bytesRead !== info.size) checks.short?.(bytesRead, info.size);
    return buffer.subarray(0, bytesRead);
  } catch (error) {
    throw ioError(error, path, checks.doing);
  } finally {
    await handle.close();
  }
}
