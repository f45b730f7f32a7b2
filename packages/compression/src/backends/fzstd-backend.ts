import { Decompress, decompress } from "fzstd";
import { CompressionError, corruptError, tooLargeError } from "../errors/compression-error.js";
import type { ZstdFrameInfo } from "../frame/zstd-frame.js";
import type { ZstdBackend } from "./zstd-backend.js";
import { zstdWasmBackend } from "./zstd-wasm-backend.js";

// Feeding the streaming decoder in slices keeps the work done between two size checks small:
// one slice of a bomb holds at most a few hundred RLE blocks.
const STREAM_SLICE_BYTES = 1024;

class OutputLimitReached extends Error {}

function decodeUnknownSize(frame: Uint8Array, limit: number): Uint8Array {
  const chunks: Uint8Array[] = [];
  let produced = 0;
  const stream = new Decompress((chunk) => {
    produced += chunk.byteLength;
    if (produced > limit) throw new OutputLimitReached();
    chunks.push(chunk.slice());
  });
  for (let offset = 0; offset < frame.byteLength; offset += STREAM_SLICE_BYTES) {
    const end = Math.min(offset + STREAM_SLICE_BYTES, frame.byteLength);
    stream.push(frame.subarray(offset, end), end === frame.byteLength);
  }
  const output = new Uint8Array(produced);
  let position = 0;
  for (const chunk of chunks) {
    output.set(chunk, position);
    position += chunk.byteLength;
  }
  return output;
}

function decompressFrameSync(
  frame: Uint8Array,
  info: ZstdFrameInfo,
  limit: number,
  dictionary: Uint8Array | undefined,
): Uint8Array {
  if (dictionary !== undefined || info.dictionaryId !== 0) {
    throw new CompressionError(
      "NG_ERR_CODEC_DICTIONARY",
      "the fzstd backend cannot decode frames that use a dictionary",
    );
  }
  try {
    // With a known size (already checked against the limit) fzstd writes into a buffer of
    // exactly that size; without one it streams and the callback enforces the limit.
    return info.contentSize === undefined
      ? decodeUnknownSize(frame, limit)
      : decompress(frame, new Uint8Array(info.contentSize));
  } catch (error) {
    if (error instanceof OutputLimitReached) throw tooLargeError(limit, "decoded frame");
    throw corruptError("zstd frame failed to decode (fzstd)", error);
  }
}

/** The `fzstd` backend: pure-JS decoding without dictionaries; encoding goes to zstd-wasm. */
export function fzstdBackend(): ZstdBackend {
  const encoder = zstdWasmBackend();
  return {
    name: "fzstd",
    verifiesChecksum: false,
    isReady: encoder.isReady,
    ready: encoder.ready,
    compressSync: encoder.compressSync,
    compress: encoder.compress,
    decompressFrameSync,
    decompressFrame: async (frame, info, limit, dictionary) => decompressFrameSync(frame, info, limit, dictionary),
  };
}
