import type { ZstdBackendName } from "../backends/zstd-backend.js";

/**
 * Options of {@link createZstdCodec}. Invalid values throw `NG_ERR_OPTIONS_INVALID` naming
 * the option (`options.level`) when the codec is created, not on first use.
 *
 * @example
 * ```ts
 * const options: ZstdCodecOptions = { level: 6, dictionaries: [await defaultDictionary()], maxOutputBytes: 1 << 20 };
 * const codec = createZstdCodec(options);
 * ```
 */
export interface ZstdCodecOptions {
  /**
   * Compression level, 1 (fastest) to 19 (smallest); negative levels down to -7 trade ratio
   * for speed.
   * @default 3
   */
  readonly level?: number;
  /**
   * Dictionaries, as produced by `trainDictionary` or `zstd --train`. The first one encodes;
   * all of them decode, chosen by the dictionary id in each frame header. At most one may be
   * a raw-content dictionary (id 0): it then decodes frames that name no dictionary.
   * @default [] (no dictionary)
   */
  readonly dictionaries?: readonly Uint8Array[];
  /**
   * Largest decoded size accepted, in bytes, summed over the frames of one input. Checked
   * against the frame header before allocating, and enforced while decoding.
   * @default 16 MiB (16_777_216)
   */
  readonly maxOutputBytes?: number;
  /**
   * Implementation. `"auto"` picks `node-zlib` when the runtime's `node:zlib` has zstd (and
   * honours dictionaries, if any are given), otherwise `zstd-wasm`. `fzstd` decodes in pure JS
   * (no dictionaries) and encodes with zstd-wasm.
   * @default "auto"
   */
  readonly backend?: "auto" | ZstdBackendName;
  /**
   * Refuse frames without a content checksum (`zstd --no-check`), which could not be verified.
   * @default true
   */
  readonly requireChecksum?: boolean;
}

/** The options after defaults and validation. */
export interface ResolvedZstdCodecOptions {
  readonly level: number;
  readonly dictionaries: readonly Uint8Array[];
  readonly maxOutputBytes: number;
  readonly backend: "auto" | ZstdBackendName;
  readonly requireChecksum: boolean;
}
