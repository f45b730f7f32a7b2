import { closeSync, constants, fstatSync, openSync, readSync, type Stats } from "node:fs";
import { type FileHandle, open } from "node:fs/promises";
import { NextGenError } from "../errors/next-gen-error.js";

// O_NONBLOCK: opening a FIFO must not wait for a writer (it would hold one of libuv's
// four file-pool threads, and with it every fs and crypto call of the process, or, read
// synchronously, the event loop itself).
/** @internal Flags every bounded read opens with. */
export const OPEN_FLAGS: number = constants.O_RDONLY | (constants.O_NONBLOCK ?? 0);

/** Refuses a special file (FIFO, device, socket, directory) or one larger than `maxBytes`, from its `fstat`. */
function assertReadable(info: Stats, path: string, maxBytes: number): void {
  if (!info.isFile()) {
    throw new NextGenError(
      "NG_ERR_SOURCE_NOT_A_FILE",
      `${path} is not a regular file (a FIFO, device, socket or directory): templates must be plain files.`,
    );
  }
  if (info.size > maxBytes) {
    throw new NextGenError(
      "NG_ERR_TEMPLATE_TOO_LARGE",
      `${path} is ${info.size} bytes, more than the ${maxBytes}-byte limit.`,
    );
  }
}

/**
 * The bounded read loop, once for both modes: `read` fills `buffer` from `filled` and
 * returns how many bytes it read. The buffer is sized by `fstat` (one spare byte shows
 * growth) and grown only up to the bound if the file grows while it is read.
 */
function* boundedChunks(
  size: number,
  path: string,
  maxBytes: number,
  signal: AbortSignal | undefined,
): Generator<{ buffer: Buffer; filled: number }, Uint8Array, number> {
  let buffer = Buffer.allocUnsafe(size + 1);
  let filled = 0;
  for (;;) {
    signal?.throwIfAborted();
    const wanted = buffer.byteLength - filled;
    const bytesRead: number = yield { buffer, filled };
    filled += bytesRead;
    // A regular file reads short only at its end: no second read just to see 0 bytes.
    if (bytesRead < wanted) break;
    if (filled === buffer.byteLength) {
      if (filled > maxBytes) break;
      const grown = Buffer.allocUnsafe(Math.min(maxBytes + 1, buffer.byteLength * 2));
      buffer.copy(grown, 0, 0, filled);
      buffer = grown;
    }
  }
  if (filled > maxBytes) {
    throw new NextGenError("NG_ERR_TEMPLATE_TOO_LARGE", `${path} is more than the ${maxBytes}-byte limit.`);
  }
  return new Uint8Array(buffer.buffer, buffer.byteOffset, filled);
}

/**
 * Reads at most `maxBytes + 1` bytes of a regular file through libuv's thread pool: a
 * special file (FIFO, device, socket) is refused after `fstat`, and a file that grows while
 * it is read stops at the bound. For files on a disk that may block (a network mount).
 * @internal
 */
export async function readBoundedFile(
  path: string,
  maxBytes: number,
  signal: AbortSignal | undefined,
  flags: number = OPEN_FLAGS,
): Promise<Uint8Array> {
  const handle: FileHandle = await open(path, flags);
  try {
    const info = await handle.stat();
    assertReadable(info, path, maxBytes);
    const chunks = boundedChunks(info.size, path, maxBytes, signal);
    let step = chunks.next();
    while (!step.done) {
      const { buffer, filled } = step.value;
      const { bytesRead } = await handle.read(buffer, filled, buffer.byteLength - filled, null);
      step = chunks.next(bytesRead);
    }
    return step.value;
  } finally {
    await handle.close();
  }
}

/**
 * {@link readBoundedFile} as blocking system calls on this thread: for a local disk (or a
 * tmpfs, or a Kubernetes ConfigMap volume) the open, `fstat`, read and close of a small
 * template take tens of microseconds, less than the four thread-pool hops of the
 * asynchronous read, and never wait for a pool thread or a core.
 * @internal
 */
export function readBoundedFileSync(
  path: string,
  maxBytes: number,
  signal: AbortSignal | undefined,
  flags: number = OPEN_FLAGS,
): Uint8Array {
  signal?.throwIfAborted();
  const fd = openSync(path, flags);
  try {
    const info = fstatSync(fd);
    assertReadable(info, path, maxBytes);
    const chunks = boundedChunks(info.size, path, maxBytes, signal);
    let step = chunks.next();
    while (!step.done) {
      const { buffer, filled } = step.value;
      step = chunks.next(readSync(fd, buffer, filled, buffer.byteLength - filled, null));
    }
    return step.value;
  } finally {
    closeSync(fd);
  }
}
