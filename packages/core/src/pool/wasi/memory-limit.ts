// Caps the linear memory a module declares, by rewriting the limits in its memory section
// before it is compiled: the engine then refuses every `memory.grow` past the cap. The
// section is untrusted input, so every read is bounds-checked.
import { NextGenError } from "../../errors/next-gen-error.js";

/** Bytes of one WebAssembly page. */
export const PAGE_BYTES = 65_536;
const MEMORY_SECTION = 5;

function invalid(message: string): NextGenError {
  return new NextGenError("NG_ERR_WASI_MODULE_INVALID", `WASI module: ${message}`);
}

/** Reads an unsigned LEB128 (at most 32 bits) at `offset`: [value, next offset]. */
function readU32(bytes: Uint8Array, offset: number): [number, number] {
  let value = 0;
  for (let shift = 0, at = offset; shift < 35; shift += 7, at++) {
    if (at >= bytes.length) throw invalid("truncated section");
    const byte = bytes[at] as number;
    value += (byte & 0x7f) * 2 ** shift;
    if ((byte & 0x80) === 0) {
      if (value > 0xffff_ffff) throw invalid("integer out of range");
      return [value, at + 1];
    }
  }
  throw invalid("integer too long");
}

function writeU32(value: number): number[] {
  const out: number[] = [];
  let rest = value;
  do {
    let byte = rest & 0x7f;
    rest = Math.floor(rest / 128);
    if (rest !== 0) byte |= 0x80;
    out.push(byte);
  } while (rest !== 0);
  return out;
}

/**
 * Returns `bytes` with every memory the module defines limited to `maxPages` pages
 * (a lower declared maximum is kept). Refuses shared and 64-bit memories, and a module
 * whose initial memory alone exceeds the cap (`NG_ERR_WASI_OUT_OF_MEMORY`).
 */
export function capMemory(bytes: Uint8Array, maxPages: number): Uint8Array {
  if (bytes.length < 8 || bytes[0] !== 0 || bytes[1] !== 0x61 || bytes[2] !== 0x73 || bytes[3] !== 0x6d) {
    throw invalid("not a WebAssembly binary (no \\0asm header)");
  }
  let offset = 8;
  while (offset < bytes.length) {
    const id = bytes[offset] as number;
    const [size, contentStart] = readU32(bytes, offset + 1);
    const contentEnd = contentStart + size;
    if (contentEnd > bytes.length) throw invalid("section runs past the end");
    if (id === MEMORY_SECTION) {
      const content = rewriteLimits(bytes.subarray(contentStart, contentEnd), maxPages);
      const section = [MEMORY_SECTION, ...writeU32(content.length), ...content];
      const out = new Uint8Array(offset + section.length + (bytes.length - contentEnd));
      out.set(bytes.subarray(0, offset), 0);
      out.set(section, offset);
      out.set(bytes.subarray(contentEnd), offset + section.length);
      return out;
    }
    offset = contentEnd;
  }
  return bytes;
}

function rewriteLimits(content: Uint8Array, maxPages: number): number[] {
  let [count, at] = readU32(content, 0);
  const out = writeU32(count);
  for (; count > 0; count--) {
    const flags = content[at];
    if (flags === undefined) throw invalid("truncated memory section");
    if (flags !== 0 && flags !== 1) throw invalid("shared and 64-bit memories are not supported");
    let minimum: number;
    [minimum, at] = readU32(content, at + 1);
    let declared = Number.POSITIVE_INFINITY;
    if (flags === 1) [declared, at] = readU32(content, at);
    if (minimum > maxPages) {
      throw new NextGenError(
        "NG_ERR_WASI_OUT_OF_MEMORY",
        `WASI module needs ${minimum * PAGE_BYTES} bytes of memory at start, above memoryLimitBytes (${maxPages * PAGE_BYTES})`,
      );
    }
    out.push(1, ...writeU32(minimum), ...writeU32(Math.min(declared, maxPages)));
  }
  if (at !== content.length) throw invalid("trailing bytes in the memory section");
  return out;
}
