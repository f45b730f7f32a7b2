import { promisify } from "node:util";
import * as zlib from "node:zlib";
import { CompressionError, corruptError, tooLargeError } from "../errors/compression-error.js";
import type { ZstdFrameInfo } from "../frame/zstd-frame.js";
import type { ZstdBackend } from "./zstd-backend.js";

// @types/node 20 does not describe zlib's zstd functions (Node ≥ 22.15 / 23.8), so the shape
// used here is declared locally and the functions are feature-detected, never version-sniffed.
interface ZstdZlibOptions {
  params?: Record<number, number>;
  dictionary?: Uint8Array;
  maxOutputLength?: number;
  pledgedSrcSize?: number;
}
type ZstdSync = (input: Uint8Array, options?: ZstdZlibOptions) => Buffer;
type ZstdCallback = (
  input: Uint8Array,
  options: ZstdZlibOptions,
  callback: (error: Error | null, result: Buffer) => void,
) => void;
interface ZlibWithZstd {
  zstdCompressSync: ZstdSync;
  zstdDecompressSync: ZstdSync;
  zstdCompress: ZstdCallback;
  zstdDecompress: ZstdCallback;
  constants: Record<string, number>;
}

const candidate = zlib as unknown as Partial<ZlibWithZstd>;

function zstdZlib(): ZlibWithZstd | undefined {
  return typeof candidate.zstdCompressSync === "function" &&
    typeof candidate.zstdDecompressSync === "function" &&
    typeof candidate.zstdCompress === "function" &&
    typeof candidate.zstdDecompress === "function" &&
    candidate.constants?.ZSTD_c_checksumFlag !== undefined
    ? (candidate as ZlibWithZstd)
    : undefined;
}

/** Whether this runtime's `node:zlib` has zstd (Node ≥ 22.15 / 23.8). */
export function hasNodeZlibZstd(): boolean {
  return zstdZlib() !== undefined;
}

let dictionarySupport: boolean | undefined;

/**
 * Whether `node:zlib` zstd honours the `dictionary` option on this runtime. Probed once: a
 * frame made with a raw-content dictionary must fail to decode without it.
 */
export function nodeZlibSupportsDictionaries(): boolean {
  if (dictionarySupport !== undefined) return dictionarySupport;
  const api = zstdZlib();
  if (api === undefined) {
    dictionarySupport = false;
    return false;
  }
  const dictionary = new TextEncoder().encode("nextgen dictionary probe: ".repeat(8));
  const input = dictionary.subarray(0, 64);
  try {
    const frame = api.zstdCompressSync(input, { dictionary });
    const withDictionary = api.zstdDecompressSync(frame, { dictionary });
    let ignored = false;
    try {
      api.zstdDecompressSync(frame);
      ignored = true;
    } catch {
      ignored = false;
    }
    dictionarySupport = !ignored && Buffer.compare(withDictionary, input) === 0;
  } catch {
    dictionarySupport = false;
  }
  return dictionarySupport;
}

function toBytes(buffer: Buffer): Uint8Array {
  return new Uint8Array(buffer.buffer, buffer.byteOffset, buffer.byteLength);
}

function translate(error: unknown, limit: number): CompressionError {
  const code = (error as { code?: unknown }).code;
  if (code === "ERR_BUFFER_TOO_LARGE") return tooLargeError(limit, "decoded frame");
  if (code === "ZSTD_error_dictionary_wrong") {
    return new CompressionError("NG_ERR_CODEC_DICTIONARY", "frame needs another dictionary", { cause: error });
  }
  return corruptError("zstd frame failed to decode (node:zlib)", error);
}

/** The `node:zlib` backend, or `undefined` when the runtime lacks zstd. */
export function nodeZlibBackend(): ZstdBackend | undefined {
  const api = zstdZlib();
  if (api === undefined) return undefined;
  const compressAsync = promisify(api.zstdCompress);
  const decompressAsync = promisify(api.zstdDecompress);
  // The async form streams its input; pledging the size keeps Frame_Content_Size in the header.
  const compressOptions = (input: Uint8Array, level: number, dictionary: Uint8Array | undefined): ZstdZlibOptions => ({
    pledgedSrcSize: input.byteLength,
    params: { [api.constants.ZSTD_c_compressionLevel!]: level, [api.constants.ZSTD_c_checksumFlag!]: 1 },
    ...(dictionary === undefined ? {} : { dictionary }),
  });
  const decompressOptions = (limit: number, dictionary: Uint8Array | undefined): ZstdZlibOptions => ({
    // Node refuses 0; a zero limit still must reject any non-empty output, checked by the codec.
    maxOutputLength: Math.max(limit, 1),
    ...(dictionary === undefined ? {} : { dictionary }),
  });
  return {
    name: "node-zlib",
    verifiesChecksum: true,
    isReady: () => true,
    ready: async () => {},
    compressSync: (input, level, dictionary) =>
      toBytes(api.zstdCompressSync(input, compressOptions(input, level, dictionary))),
    compress: async (input, level, dictionary) =>
      toBytes(await compressAsync(input, compressOptions(input, level, dictionary))),
    decompressFrameSync(frame: Uint8Array, _info: ZstdFrameInfo, limit: number, dictionary: Uint8Array | undefined) {
      try {
        return toBytes(api.zstdDecompressSync(frame, decompressOptions(limit, dictionary)));
      } catch (error) {
        throw translate(error, limit);
      }
    },
    async decompressFrame(frame: Uint8Array, _info: ZstdFrameInfo, limit: number, dictionary: Uint8Array | undefined) {
      try {
        return toBytes(await decompressAsync(frame, decompressOptions(limit, dictionary)));
      } catch (error) {
        throw translate(error, limit);
      }
    },
  };
}
