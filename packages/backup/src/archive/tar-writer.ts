import { pack } from "tar-stream";
import type { TarFile } from "./tar-file.js";

export type { TarFile } from "./tar-file.js";

/** Every entry's modification time: the Unix epoch, so that the bytes never depend on the clock. */
export const TAR_MTIME = 0;
const FILE_MODE = 0o644;

/**
 * Writes a POSIX (ustar, with a PAX `path` record for long or non-ASCII names) tar stream
 * with `tar-stream`, whose bytes depend only on the files given: entries in the given
 * order, regular files only, mode 0644, uid/gid 0, no user or group names, mtime
 * {@link TAR_MTIME}. Directories are implied by the paths (every `tar` creates them on
 * extraction). The layout is 512-byte headers, data padded to 512 bytes and two zero
 * blocks at the end, which `maxTarBytes` accounts for.
 *
 * @example
 * ```ts
 * const tar = await writeTar([{ path: "a.json", data: Buffer.from("{}\n") }]);
 * tar.length; // 512 (header) + 512 (padded data) + 1024 (end of archive)
 * ```
 */
export async function writeTar(files: readonly TarFile[]): Promise<Buffer> {
  const stream = pack();
  const chunks: Buffer[] = [];
  const collected = new Promise<void>((resolve, reject) => {
    stream.on("data", (chunk) => chunks.push(chunk as Buffer));
    stream.on("end", resolve);
    stream.on("error", reject);
  });
  const mtime = new Date(TAR_MTIME);
  for (const file of files) {
    const data = Buffer.from(file.data.buffer, file.data.byteOffset, file.data.byteLength);
    stream.entry({ name: file.path, type: "file", size: data.length, mode: FILE_MODE, uid: 0, gid: 0, mtime }, data);
  }
  stream.finalize();
  await collected;
  return Buffer.concat(chunks);
}
