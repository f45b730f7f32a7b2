import diagnosticsChannel from "node:diagnostics_channel";
import type { ZstdBackend } from "../backends/zstd-backend.js";
import { dictionaryId } from "../dictionary/dictionary-id.js";
import { CompressionError, corruptError, optionsError, tooLargeError } from "../errors/compression-error.js";
import { zstdContentChecksum } from "../frame/xxh64.js";
import { isZstdFrame, peekDictionaryId, scanFrames, type ZstdFrameInfo } from "../frame/zstd-frame.js";
import { resolveZstdCodecOptions } from "./resolve-options.js";
import { selectBackend } from "./select-backend.js";
import type { ZstdCodec } from "./zstd-codec.js";
import type { ResolvedZstdCodecOptions, ZstdCodecOptions } from "./zstd-codec-options.js";

// Same channel and context shape as @nextgen/core's CODEC_DECODE_CHANNEL / CodecDecodeContext.
const decodeChannel = diagnosticsChannel.tracingChannel<unknown, DecodeContext>("nextgen:codec.decode");
interface DecodeContext {
  backend: string;
  bytesIn: number;
  bytesOut?: number;
  dictionaryId?: number;
}

// zstd's own decoders refuse windows above 2^27 by default; below that, a window larger than
// both the output limit and the 8 MiB every decoder must support is refused before allocating.
const MAX_WINDOW_BYTES = 2 ** 27;
const MIN_WINDOW_LIMIT = 8 * 1024 * 1024;

interface PlannedFrame {
  readonly bytes: Uint8Array;
  readonly info: ZstdFrameInfo;
  readonly dictionary: Uint8Array | undefined;
}

function indexDictionaries(dictionaries: readonly Uint8Array[]): Map<number, Uint8Array> {
  const byId = new Map<number, Uint8Array>();
  dictionaries.forEach((dictionary, index) => {
    const id = dictionaryId(dictionary);
    if (byId.has(id)) {
      throw optionsError(
        `options.dictionaries[${index}]`,
        `repeats dictionary id ${id} (0 = raw content; one allowed)`,
      );
    }
    byId.set(id, dictionary);
  });
  return byId;
}

function plan(input: Uint8Array, options: ResolvedZstdCodecOptions, byId: Map<number, Uint8Array>): PlannedFrame[] {
  const frames = scanFrames(input);
  const windowLimit = Math.min(MAX_WINDOW_BYTES, Math.max(options.maxOutputBytes, MIN_WINDOW_LIMIT));
  let declared = 0;
  return frames.map((info) => {
    declared += info.contentSize ?? 0;
    if (declared > options.maxOutputBytes) throw tooLargeError(options.maxOutputBytes, "frame content size");
    if (info.windowSize > windowLimit) throw tooLargeError(windowLimit, `frame window (${info.windowSize} bytes)`);
    if (options.requireChecksum && info.checksum === undefined) {
      throw corruptError("zstd frame carries no content checksum (written with --no-check?)");
    }
    const dictionary = byId.get(info.dictionaryId);
    if (info.dictionaryId !== 0 && dictionary === undefined) {
      throw new CompressionError("NG_ERR_CODEC_DICTIONARY", `frame needs zstd dictionary id ${info.dictionaryId}`);
    }
    return { bytes: input.subarray(info.start, info.end), info, dictionary };
  });
}

function check(frame: PlannedFrame, output: Uint8Array, limit: number, backend: ZstdBackend): void {
  if (output.byteLength > limit) throw tooLargeError(limit, "decoded output");
  const { contentSize, checksum } = frame.info;
  if (contentSize !== undefined && output.byteLength !== contentSize) {
    throw corruptError("zstd frame decoded to a size other than its declared content size");
  }
  if (!backend.verifiesChecksum && checksum !== undefined && zstdContentChecksum(output) !== checksum) {
    throw corruptError("zstd frame content checksum does not match");
  }
}

function concat(parts: Uint8Array[], total: number): Uint8Array {
  if (parts.length === 1) return parts[0]!;
  const output = new Uint8Array(total);
  let offset = 0;
  for (const part of parts) {
    output.set(part, offset);
    offset += part.byteLength;
  }
  return output;
}

function asCodecError(error: unknown): CompressionError {
  return error instanceof CompressionError ? error : corruptError("zstd input failed to decode", error);
}

/**
 * Creates a zstd codec on the best backend this runtime has (or the one named).
 *
 * @example
 * ```ts
 * const codec = createZstdCodec({ dictionaries: [await defaultDictionary()] });
 * const frame = await codec.encode(new TextEncoder().encode(json));
 * const bytes = await codec.decode(frame); // NG_ERR_CODEC_* on corrupt, oversize or unknown-dictionary frames
 * ```
 */
export function createZstdCodec(options?: ZstdCodecOptions): ZstdCodec {
  const resolved = resolveZstdCodecOptions(options);
  const byId = indexDictionaries(resolved.dictionaries);
  const backend = selectBackend(resolved);
  const encodeDictionary = resolved.dictionaries[0];
  const { level, maxOutputBytes } = resolved;

  const decodeSync = (input: Uint8Array): Uint8Array => {
    try {
      const parts: Uint8Array[] = [];
      let produced = 0;
      for (const frame of plan(input, resolved, byId)) {
        const limit = maxOutputBytes - produced;
        const output = backend.decompressFrameSync(frame.bytes, frame.info, limit, frame.dictionary);
        check(frame, output, limit, backend);
        parts.push(output);
        produced += output.byteLength;
      }
      return concat(parts, produced);
    } catch (error) {
      throw asCodecError(error);
    }
  };

  const decodeAsync = async (input: Uint8Array, context: DecodeContext | undefined): Promise<Uint8Array> => {
    try {
      const parts: Uint8Array[] = [];
      let produced = 0;
      for (const frame of plan(input, resolved, byId)) {
        const limit = maxOutputBytes - produced;
        const output = await backend.decompressFrame(frame.bytes, frame.info, limit, frame.dictionary);
        check(frame, output, limit, backend);
        parts.push(output);
        produced += output.byteLength;
      }
      if (context !== undefined) context.bytesOut = produced;
      return concat(parts, produced);
    } catch (error) {
      throw asCodecError(error);
    }
  };

  return {
    backend: backend.name,
    dictionaryIds: [...byId.keys()],
    encodeDictionaryId: encodeDictionary === undefined ? undefined : dictionaryId(encodeDictionary),
    ready: () => backend.ready(),
    encode: (input) => backend.compress(input, level, encodeDictionary),
    encodeSync: (input) => backend.compressSync(input, level, encodeDictionary),
    decode: (input) => {
      if (!decodeChannel.hasSubscribers) return decodeAsync(input, undefined);
      const context: DecodeContext = { backend: backend.name, bytesIn: input.byteLength };
      const firstDictionaryId = peekDictionaryId(input);
      if (firstDictionaryId !== undefined) context.dictionaryId = firstDictionaryId;
      return decodeChannel.tracePromise(() => decodeAsync(input, context), context);
    },
    decodeSync,
    isEncoded: isZstdFrame,
  };
}
