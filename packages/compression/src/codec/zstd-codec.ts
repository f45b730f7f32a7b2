import type { ZstdBackendName } from "../backends/zstd-backend.js";

/**
 * A zstd codec. It satisfies `@nextgen/core`'s `Codec` contract structurally and adds sync
 * forms. Frames are standard zstd (the `zstd` command reads and writes them), always carry
 * the content checksum, and decoding refuses corrupt (`NG_ERR_CODEC_CORRUPT`), oversize
 * (`NG_ERR_CODEC_TOO_LARGE`) and unknown-dictionary (`NG_ERR_CODEC_DICTIONARY`) frames.
 *
 * The async methods work on every backend at once. The sync ones need the backend loaded:
 * `node-zlib` always is, but `backend: "auto"` picks `zstd-wasm` on Node < 22.15, whose
 * WebAssembly loads asynchronously, so code that uses the sync forms should `await
 * codec.ready()` once at startup (it resolves at once on `node-zlib`) instead of relying on
 * the runtime.
 *
 * @example
 * ```ts
 * const codec = createZstdCodec({ dictionaries: [await defaultDictionary()] });
 * await codec.ready(); // the sync forms now work on every backend and Node version
 * const frame = codec.encodeSync(new TextEncoder().encode(JSON.stringify(template)));
 * const same = codec.decodeSync(frame);
 * ```
 */
export interface ZstdCodec {
  /** The backend serving this codec. */
  readonly backend: ZstdBackendName;
  /** Ids of the dictionaries this codec decodes (0 stands for a raw-content dictionary). */
  readonly dictionaryIds: readonly number[];
  /** Id of the dictionary `encode` uses, `undefined` without dictionaries. */
  readonly encodeDictionaryId: number | undefined;
  /** Resolves once the sync forms can run (zstd-wasm loads asynchronously). Idempotent. */
  ready(): Promise<void>;
  /** Compresses `input` into one zstd frame with content size and checksum. */
  encode(input: Uint8Array): Promise<Uint8Array>;
  /** Decodes every frame of `input` (skippable frames are ignored) and concatenates them. */
  decode(input: Uint8Array): Promise<Uint8Array>;
  /**
   * Sync `encode`. On `zstd-wasm` and `fzstd` it throws `NG_ERR_CODEC_UNAVAILABLE` until
   * `ready()` has resolved.
   */
  encodeSync(input: Uint8Array): Uint8Array;
  /** Sync `decode`. On `zstd-wasm` it throws `NG_ERR_CODEC_UNAVAILABLE` until `ready()` resolved. */
  decodeSync(input: Uint8Array): Uint8Array;
  /** Whether `input` starts with the zstd magic number. */
  isEncoded(input: Uint8Array): boolean;
}
