import { CompressionError, corruptError, tooLargeError } from "../errors/compression-error.js";
import { zstdContentChecksum } from "../frame/xxh64.js";
import type { ZstdFrameInfo } from "../frame/zstd-frame.js";
import type { ZstdBackend } from "./zstd-backend.js";

type ZstdWasmModule = typeof import("@bokuweb/zstd-wasm");

let loaded: ZstdWasmModule | undefined;
let loading: Promise<ZstdWasmModule> | undefined;
let compressionContext: number | undefined;
let decompressionContext: number | undefined;

/** Loads and instantiates the WebAssembly module once per process. */
export function loadZstdWasm(): Promise<ZstdWasmModule> {
  loading ??= (async () => {
    const module = await import("@bokuweb/zstd-wasm");
    await module.init();
    compressionContext = module.createCCtx();
    decompressionContext = module.createDCtx();
    loaded = module;
    return module;
  })();
  return loading;
}

function requireLoaded(): ZstdWasmModule {
  if (loaded === undefined) {
    throw new CompressionError(
      "NG_ERR_CODEC_UNAVAILABLE",
      "the zstd-wasm backend is not initialised yet: await codec.ready() before the sync methods",
    );
  }
  return loaded;
}

// zstd-wasm's one-shot ZSTD_compress has no parameter API, so the checksum flag is not set:
// add it here (frame header descriptor bit 2, then the low 32 bits of XXH64 after the last block).
function withContentChecksum(frame: Uint8Array, content: Uint8Array): Uint8Array {
  if (frame[4]! & 0x04) return frame;
  const result = new Uint8Array(frame.byteLength + 4);
  result.set(frame);
  result[4] = frame[4]! | 0x04;
  new DataView(result.buffer).setUint32(frame.byteLength, zstdContentChecksum(content), true);
  return result;
}

// zstd error codes surface as "Failed to compress with code -N" (N = ZSTD_ErrorCode).
function zstdErrorCode(error: unknown): number {
  const match = /code (-?\d+)/.exec(error instanceof Error ? error.message : "");
  const value = match === null ? 0 : Number(match[1]);
  return value < 0 ? -value : value > 2 ** 31 ? 2 ** 32 - value : value;
}

function compressSync(input: Uint8Array, level: number, dictionary: Uint8Array | undefined): Uint8Array {
  const module = requireLoaded();
  const frame =
    dictionary === undefined
      ? module.compress(input, level)
      : module.compressUsingDict(compressionContext!, input, dictionary, level);
  return withContentChecksum(frame, input);
}

function decompressFrameSync(
  frame: Uint8Array,
  info: ZstdFrameInfo,
  limit: number,
  dictionary: Uint8Array | undefined,
): Uint8Array {
  const module = requireLoaded();
  // The block walk gives a true upper bound, so the heap never needs to grow past it; when
  // the size is unknown and the bound exceeds the limit, a full `limit` buffer overflowing
  // means the frame is too large (zstd's dstSize_tooSmall, code 70).
  const capacity = Math.min(limit, info.maxContentSize);
  try {
    return dictionary === undefined
      ? module.decompress(frame, { defaultHeapSize: capacity })
      : module.decompressUsingDict(decompressionContext!, frame, dictionary, { defaultHeapSize: capacity });
  } catch (error) {
    const code = zstdErrorCode(error);
    // Overflowing the declared content size or the block-walk bound means the frame lies.
    if (code === 70 && info.contentSize === undefined && capacity === limit)
      throw tooLargeError(limit, "decoded frame");
    if (code === 32)
      throw new CompressionError("NG_ERR_CODEC_DICTIONARY", "frame needs another dictionary", { cause: error });
    throw corruptError(`zstd frame failed to decode (zstd-wasm, zstd error ${code})`, error);
  }
}

/** The `@bokuweb/zstd-wasm` backend: compression, decompression and dictionaries. */
export function zstdWasmBackend(): ZstdBackend {
  return {
    name: "zstd-wasm",
    verifiesChecksum: true,
    isReady: () => loaded !== undefined,
    ready: async () => {
      await loadZstdWasm();
    },
    compressSync,
    compress: async (input, level, dictionary) => {
      await loadZstdWasm();
      return compressSync(input, level, dictionary);
    },
    decompressFrameSync,
    decompressFrame: async (frame, info, limit, dictionary) => {
      await loadZstdWasm();
      return decompressFrameSync(frame, info, limit, dictionary);
    },
  };
}
