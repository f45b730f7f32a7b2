import { BackupError } from "../errors/backup-error.js";
import type { ManifestFile } from "./manifest.js";

const BLOCK = 512;
/** GNU and BSD tar pad the stream to a 10 KiB record; our writer does not, others may. */
const RECORD = 10_240;

const blocks = (bytes: number): number => Math.ceil(bytes / BLOCK) * BLOCK;

/**
 * The most bytes a tar stream holding exactly `files` can take: per file a header, a PAX
 * header with a `path` record (allowed for every file, whatever its name), and the data
 * padded to 512 bytes; per directory the same header overhead (other tars write directory
 * entries); the end-of-archive blocks and a final record's padding. Decompressing an
 * archive is bounded by this, so a gzip bomb beside a manifest of small files is cut off
 * after at most this many bytes.
 */
export function maxTarBytes(files: readonly ManifestFile[]): number {
  let total = 2 * BLOCK + RECORD;
  const directories = new Set<string>();
  for (const file of files) {
    const pathBytes = Buffer.byteLength(file.path, "utf8");
    // header + PAX header + PAX record ("<len> path=<path>\n", len ≤ 20 digits) + data
    total += BLOCK + BLOCK + blocks(pathBytes + 32) + blocks(file.size);
    for (let slash = file.path.indexOf("/"); slash !== -1; slash = file.path.indexOf("/", slash + 1)) {
      directories.add(file.path.slice(0, slash));
    }
  }
  for (const directory of directories) total += BLOCK + BLOCK + blocks(Buffer.byteLength(directory, "utf8") + 32);
  return total;
}

/**
 * The decompression bound of an archive: {@link maxTarBytes} of its manifest, refused
 * up front with `NG_ERR_BACKUP_TOO_LARGE` when that is above `maxUnpackedBytes`.
 */
export function unpackBound(id: string, files: readonly ManifestFile[], maxUnpackedBytes: number): number {
  const bound = maxTarBytes(files);
  if (bound > maxUnpackedBytes) {
    throw new BackupError(
      "NG_ERR_BACKUP_TOO_LARGE",
      "manifest-too-large",
      `Backup ${id}: its manifest lists files that unpack to up to ${bound} bytes, over maxUnpackedBytes (${maxUnpackedBytes}). Raise maxUnpackedBytes if this archive is expected to be that large.`,
    );
  }
  return bound;
}

/**
 * The most bytes the stored archive can take for a decompressed size of `bound`: deflate
 * never grows data by more than its stored-block framing (5 bytes per 64 KiB), plus the gzip
 * header and trailer and the encryption framing. A larger archive file is refused before it
 * is read (`NG_ERR_BACKUP_TOO_LARGE`, reason `archive-too-large`).
 */
export function assertStoredSize(id: string, storedBytes: number, bound: number): void {
  const limit = bound + Math.ceil(bound / 1000) + 1024;
  if (storedBytes > limit) {
    throw new BackupError(
      "NG_ERR_BACKUP_TOO_LARGE",
      "archive-too-large",
      `Backup ${id}: the archive file is ${storedBytes} bytes, more than any gzip of the ${bound} bytes its manifest lists can be (${limit}); refusing to read it.`,
    );
  }
}
