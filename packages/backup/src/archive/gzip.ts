import { gunzipSync, gzipSync } from "node:zlib";
import { NextGenError } from "@nextgen/core";
import { BackupError } from "../errors/backup-error.js";
import type { BackupErrorCode } from "../errors/backup-error-codes.js";

// RFC 1952 header byte 9 names the OS; 255 ("unknown") keeps the bytes the same on every platform.
const OS_BYTE_OFFSET = 9;
const OS_UNKNOWN = 255;

/**
 * Gzips without a file name or timestamp (zlib writes MTIME 0 and no FNAME) and with a
 * fixed OS byte, at gzip's default level 6 (as `tar czf`), so the output depends only on the input and the zlib build.
 */
export function gzipReproducible(data: Uint8Array): Buffer {
  const compressed = gzipSync(data, { level: 6 });
  compressed[OS_BYTE_OFFSET] = OS_UNKNOWN;
  return compressed;
}

/**
 * Gunzips at most `maxBytes` bytes: zlib stops as soon as the output would grow past
 * them, so a gzip bomb costs at most that much memory (`NG_ERR_BACKUP_TOO_LARGE`). A
 * corrupt stream is `NG_ERR_BACKUP_CHECKSUM`.
 */
export function gunzipChecked(data: Uint8Array, label: string, maxBytes: number): Buffer {
  try {
    return gunzipSync(data, { maxOutputLength: Math.max(1, maxBytes) });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ERR_BUFFER_TOO_LARGE") {
      throw new BackupError(
        "NG_ERR_BACKUP_TOO_LARGE",
        "decompressed-too-large",
        `${label} decompresses to more than the ${maxBytes} bytes its manifest accounts for (a gzip bomb, or a manifest that does not match the archive); stopped there.`,
        { cause: error },
      );
    }
    throw new NextGenError<BackupErrorCode>(
      "NG_ERR_BACKUP_CHECKSUM",
      `${label} is not a valid gzip stream (corrupt or tampered).`,
      {
        cause: error,
      },
    );
  }
}
