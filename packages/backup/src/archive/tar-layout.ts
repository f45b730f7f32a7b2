import { NextGenError } from "@nextgen/core";
import type { BackupErrorCode } from "../errors/backup-error-codes.js";

/** Size of a tar block: every header, and the unit data is padded to. */
export const TAR_BLOCK = 512;

/** `bytes` rounded up to whole tar blocks. */
export const tarBlocks = (bytes: number): number => Math.ceil(bytes / TAR_BLOCK) * TAR_BLOCK;

/**
 * PAX record keys a backup tar stream may carry: the path and size we or GNU tar write, and
 * the times and owner records GNU tar's `--format=posix` adds (ignored on restore). Any other
 * key (`linkpath`, `hdrcharset`, `GNU.sparse.*`, …) would change what the entry means.
 */
const PAX_KEYS: ReadonlySet<string> = new Set([
  "path",
  "size",
  "mtime",
  "atime",
  "ctime",
  "uid",
  "gid",
  "uname",
  "gname",
]);

/**
 * The `NG_ERR_BACKUP_ARCHIVE_INVALID` error of a stream that is not a backup tar stream.
 *
 * @example
 * ```ts
 * throw invalidTar("truncated entry");
 * ```
 */
export function invalidTar(reason: string): NextGenError<BackupErrorCode> {
  return new NextGenError<BackupErrorCode>(
    "NG_ERR_BACKUP_ARCHIVE_INVALID",
    `Not a valid backup tar stream: ${reason}.`,
  );
}

/** The octal `size` field of the header block at `offset`, or NaN. */
function headerSize(archive: Uint8Array, offset: number): number {
  const field = Buffer.from(archive.buffer, archive.byteOffset + offset + 124, 12).toString("ascii");
  const digits = field.replace(/[\0 ]+$/, "").replace(/^ +/, "");
  return /^[0-7]+$/.test(digits) ? Number.parseInt(digits, 8) : Number.NaN;
}

/**
 * Checks what lies between the end of the previous entry (`from`) and the header of the
 * next one (`header`): nothing, or exactly one local PAX header (`x`) whose records use only
 * the keys a backup may carry. So a GNU long name (`L`/`K`), a global PAX header (`g`), a
 * zero block inside the stream or any other header `tar-stream` folds into the next entry
 * is refused.
 *
 * @example
 * ```ts
 * assertExtensionHeaders(tar, 0, 0, null); // the first entry, with no PAX header
 * ```
 */
export function assertExtensionHeaders(
  archive: Uint8Array,
  from: number,
  header: number,
  pax: Readonly<Record<string, string>> | null,
): void {
  if (header === from) {
    if (pax !== null) throw invalidTar(`PAX records without a PAX header at byte ${header}`);
    return;
  }
  const type = archive[from + 156];
  if (type !== 0x78)
    throw invalidTar(`unexpected header type ${JSON.stringify(String.fromCharCode(type ?? 0))} at byte ${from}`);
  if (from + TAR_BLOCK + tarBlocks(headerSize(archive, from)) !== header) {
    throw invalidTar(`more than one extension header before byte ${header}`);
  }
  for (const key of Object.keys(pax ?? {})) {
    if (!PAX_KEYS.has(key)) throw invalidTar(`PAX record ${JSON.stringify(key)} is not accepted`);
  }
}

/**
 * Checks the end of the stream after the last entry (`from`): at least the two zero blocks
 * of an end-of-archive marker, and nothing but zeros after them (GNU tar pads to a record).
 *
 * @example
 * ```ts
 * assertEndOfArchive(tar, tar.length - 1024);
 * ```
 */
export function assertEndOfArchive(archive: Uint8Array, from: number): void {
  if (archive.length - from < 2 * TAR_BLOCK) throw invalidTar("missing end-of-archive marker");
  for (let index = from; index < archive.length; index++) {
    if (archive[index] !== 0) throw invalidTar(`data after the end-of-archive marker at byte ${index}`);
  }
}
