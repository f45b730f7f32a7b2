import { corruptError } from "../errors/compression-error.js";

/** Magic number that starts every zstd frame, read little-endian (`28 b5 2f fd`). */
export const ZSTD_MAGIC = 0xfd2f_b528;
const SKIPPABLE_MAGIC_MASK = 0xffff_fff0;
const SKIPPABLE_MAGIC = 0x184d_2a50;
const MAX_BLOCK_SIZE = 128 * 1024;

/**
 * What a frame header and a walk over its block headers tell, before anything is decoded.
 *
 * @example
 * ```ts
 * const info: ZstdFrameInfo = scanFrames(bytes)[0]!;
 * if (info.dictionaryId !== 0) console.log(`needs dictionary ${info.dictionaryId}`);
 * ```
 */
export interface ZstdFrameInfo {
  /** Offset of the frame's magic number in the input. */
  readonly start: number;
  /** Offset just past the frame (after the checksum, if any). */
  readonly end: number;
  /** Frame_Content_Size in bytes, or `undefined` when the encoder did not write it. */
  readonly contentSize: number | undefined;
  /** Upper bound of the decoded size, from the block headers (exact for raw and RLE blocks). */
  readonly maxContentSize: number;
  /** Window size in bytes (the memory a streaming decoder keeps). */
  readonly windowSize: number;
  /** Dictionary id named by the frame, 0 when none. */
  readonly dictionaryId: number;
  /** The frame's 32-bit content checksum (low half of XXH64), when the frame carries one. */
  readonly checksum: number | undefined;
}

/**
 * Whether `bytes` starts with the zstd frame magic number (`0xFD2FB528`, little-endian).
 *
 * @example
 * ```ts
 * const bytes = await readFile(path);
 * const json = isZstdFrame(bytes) ? await codec.decode(bytes) : bytes;
 * ```
 */
export function isZstdFrame(bytes: Uint8Array): boolean {
  return bytes.byteLength >= 4 && readUint32(bytes, 0) === ZSTD_MAGIC;
}

function readUint32(bytes: Uint8Array, offset: number): number {
  return (bytes[offset]! | (bytes[offset + 1]! << 8) | (bytes[offset + 2]! << 16) | (bytes[offset + 3]! << 24)) >>> 0;
}

function readLittleEndian(bytes: Uint8Array, offset: number, length: number): number {
  let value = 0;
  for (let index = length - 1; index >= 0; index--) value = value * 256 + bytes[offset + index]!;
  return value;
}

function need(bytes: Uint8Array, end: number, what: string): void {
  if (end > bytes.byteLength) throw corruptError(`zstd frame is truncated (${what})`);
}

/** Parses one zstd frame starting at `start` and walks its block headers. Throws CORRUPT. */
export function readFrame(bytes: Uint8Array, start: number): ZstdFrameInfo {
  need(bytes, start + 6, "frame header");
  if (readUint32(bytes, start) !== ZSTD_MAGIC) throw corruptError("input is not a zstd frame (wrong magic number)");
  const descriptor = bytes[start + 4]!;
  if (descriptor & 0x08) throw corruptError("zstd frame header sets a reserved bit");
  const contentSizeFlag = descriptor >> 6;
  const singleSegment = (descriptor >> 5) & 1;
  const hasChecksum = (descriptor >> 2) & 1;
  const dictionaryIdBytes = [0, 1, 2, 4][descriptor & 3]!;
  const contentSizeBytes = contentSizeFlag === 0 ? singleSegment : 1 << contentSizeFlag;
  let offset = start + 5;
  let windowSize = 0;
  if (!singleSegment) {
    const windowDescriptor = bytes[offset++]!;
    const base = 2 ** (10 + (windowDescriptor >> 3));
    windowSize = base + (base / 8) * (windowDescriptor & 7);
  }
  need(bytes, offset + dictionaryIdBytes + contentSizeBytes, "frame header");
  const dictionaryId = readLittleEndian(bytes, offset, dictionaryIdBytes);
  offset += dictionaryIdBytes;
  let contentSize: number | undefined;
  if (contentSizeBytes > 0) {
    contentSize = readLittleEndian(bytes, offset, contentSizeBytes) + (contentSizeBytes === 2 ? 256 : 0);
    offset += contentSizeBytes;
  }
  if (singleSegment) windowSize = contentSize!;
  const blockLimit = Math.min(windowSize, MAX_BLOCK_SIZE);
  let maxContentSize = 0;
  for (let last = 0; !last; ) {
    need(bytes, offset + 3, "block header");
    const header = bytes[offset]! | (bytes[offset + 1]! << 8) | (bytes[offset + 2]! << 16);
    offset += 3;
    last = header & 1;
    const type = (header >> 1) & 3;
    const size = header >>> 3;
    if (type === 3) throw corruptError("zstd frame holds a block of reserved type");
    if (size > blockLimit) throw corruptError("zstd block exceeds the frame's maximum block size");
    maxContentSize += type === 2 ? blockLimit : size;
    offset += type === 1 ? 1 : size;
    need(bytes, offset, "block");
  }
  let checksum: number | undefined;
  if (hasChecksum) {
    need(bytes, offset + 4, "content checksum");
    checksum = readUint32(bytes, offset);
    offset += 4;
  }
  if (contentSize !== undefined && contentSize > maxContentSize) {
    throw corruptError("zstd frame declares more content than its blocks can hold");
  }
  return { start, end: offset, contentSize, maxContentSize, windowSize, dictionaryId, checksum };
}

/**
 * Walks every frame of `bytes` (skippable frames are stepped over) without decoding. Throws
 * `NG_ERR_CODEC_CORRUPT` for a wrong magic number, a reserved bit or block type, or truncation.
 *
 * @example
 * ```ts
 * const [frame] = scanFrames(await readFile("agent.json.zst"));
 * console.log(frame.contentSize, frame.dictionaryId, frame.checksum !== undefined);
 * ```
 */
export function scanFrames(bytes: Uint8Array): ZstdFrameInfo[] {
  const frames: ZstdFrameInfo[] = [];
  let offset = 0;
  if (bytes.byteLength === 0) throw corruptError("input is empty, not a zstd frame");
  while (offset < bytes.byteLength) {
    need(bytes, offset + 4, "magic number");
    if ((readUint32(bytes, offset) & SKIPPABLE_MAGIC_MASK) === SKIPPABLE_MAGIC >>> 0) {
      need(bytes, offset + 8, "skippable frame");
      offset += 8 + readUint32(bytes, offset + 4);
      need(bytes, offset, "skippable frame");
      continue;
    }
    const frame = readFrame(bytes, offset);
    frames.push(frame);
    offset = frame.end;
  }
  if (frames.length === 0) throw corruptError("input holds no zstd frame");
  return frames;
}

/**
 * The dictionary id in the header of the first frame of `bytes`, read without walking the
 * blocks (for diagnostics at the start of a decode); `undefined` if the header is unreadable.
 */
export function peekDictionaryId(bytes: Uint8Array): number | undefined {
  if (!isZstdFrame(bytes) || bytes.byteLength < 6) return undefined;
  const descriptor = bytes[4]!;
  const size = [0, 1, 2, 4][descriptor & 3]!;
  const offset = (descriptor >> 5) & 1 ? 5 : 6;
  return offset + size <= bytes.byteLength ? readLittleEndian(bytes, offset, size) : undefined;
}
