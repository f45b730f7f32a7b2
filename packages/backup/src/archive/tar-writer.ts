/** One file to put in an archive. */
export interface TarFile {
  /** Relative `/`-separated path. */
  readonly path: string;
  /** File contents. */
  readonly data: Uint8Array;
}

const BLOCK = 512;
/** Every entry's modification time: the Unix epoch, so that the bytes never depend on the clock. */
export const TAR_MTIME = 0;
const FILE_MODE = 0o644;

function writeString(header: Buffer, offset: number, length: number, value: string): void {
  header.write(value, offset, length, "utf8");
}

function writeOctal(header: Buffer, offset: number, length: number, value: number): void {
  // `length - 1` octal digits, zero-padded, then NUL (POSIX ustar).
  header.write(`${value.toString(8).padStart(length - 1, "0")}\0`, offset, length, "ascii");
}

function header(name: string, prefix: string, size: number, type: string): Buffer {
  const block = Buffer.alloc(BLOCK);
  writeString(block, 0, 100, name);
  writeOctal(block, 100, 8, FILE_MODE);
  writeOctal(block, 108, 8, 0); // uid
  writeOctal(block, 116, 8, 0); // gid
  writeOctal(block, 124, 12, size);
  writeOctal(block, 136, 12, TAR_MTIME);
  block.fill(0x20, 148, 156); // checksum is computed with its own field as spaces
  writeString(block, 156, 1, type);
  writeString(block, 257, 6, "ustar\0");
  writeString(block, 263, 2, "00");
  writeString(block, 345, 155, prefix);
  let sum = 0;
  for (let index = 0; index < BLOCK; index++) sum += block[index] as number;
  block.write(`${sum.toString(8).padStart(6, "0")}\0 `, 148, 8, "ascii");
  return block;
}

/** Splits a path into ustar `prefix` and `name`, or returns undefined when it needs a PAX record. */
function splitUstar(path: string): [string, string] | undefined {
  if (!/^[\x20-\x7e]*$/.test(path)) return undefined;
  if (path.length <= 100) return ["", path];
  for (let index = path.indexOf("/"); index !== -1; index = path.indexOf("/", index + 1)) {
    const prefix = path.slice(0, index);
    const name = path.slice(index + 1);
    if (prefix.length <= 155 && name.length <= 100 && name.length > 0) return [prefix, name];
  }
  return undefined;
}

function padding(size: number): Buffer {
  const remainder = size % BLOCK;
  return Buffer.alloc(remainder === 0 ? 0 : BLOCK - remainder);
}

function paxRecord(key: string, value: string): string {
  const body = ` ${key}=${value}\n`;
  let length = Buffer.byteLength(body) + 1;
  while (String(length).length + Buffer.byteLength(body) !== length)
    length = String(length).length + Buffer.byteLength(body);
  return `${length}${body}`;
}

/**
 * Writes a POSIX (ustar, with a PAX `path` record for long or non-ASCII names) tar stream
 * whose bytes depend only on the files given: entries in the given order, mode 0644,
 * uid/gid 0, no user or group names, mtime {@link TAR_MTIME}. Directories are implied by
 * the paths (every `tar` creates them on extraction).
 */
export function writeTar(files: readonly TarFile[]): Buffer {
  const chunks: Buffer[] = [];
  for (const file of files) {
    const split = splitUstar(file.path);
    if (split === undefined) {
      const record = Buffer.from(paxRecord("path", file.path), "utf8");
      chunks.push(header("PaxHeader", "", record.length, "x"), record, padding(record.length));
      chunks.push(header(file.path.slice(-100).replace(/[^\x20-\x7e]/g, "_"), "", file.data.length, "0"));
    } else {
      chunks.push(header(split[1], split[0], file.data.length, "0"));
    }
    chunks.push(Buffer.from(file.data.buffer, file.data.byteOffset, file.data.byteLength), padding(file.data.length));
  }
  chunks.push(Buffer.alloc(BLOCK * 2));
  return Buffer.concat(chunks);
}
