import type { ZstdFrameInfo } from "../frame/zstd-frame.js";

/**
 * Names of the implementations a codec can run on (see `docs/compression.md` for which
 * serves what on which Node).
 *
 * @example
 * ```ts
 * const backend: ZstdBackendName = createZstdCodec().backend; // "node-zlib" on Node ≥ 22.15
 * ```
 */
export type ZstdBackendName = "node-zlib" | "zstd-wasm" | "fzstd";

/** Internal contract each backend implements; the codec adds header checks, limits and ids. */
export interface ZstdBackend {
  readonly name: ZstdBackendName;
  /** Whether the backend checks the frame content checksum itself while decoding. */
  readonly verifiesChecksum: boolean;
  /** Whether the sync members can be called now (zstd-wasm needs its async `ready()`). */
  isReady(): boolean;
  /** Loads what the backend needs (the WebAssembly module). Idempotent. */
  ready(): Promise<void>;
  /** One frame with content size and checksum; `dictionary` as given (raw or zstd format). */
  compressSync(input: Uint8Array, level: number, dictionary: Uint8Array | undefined): Uint8Array;
  compress(input: Uint8Array, level: number, dictionary: Uint8Array | undefined): Promise<Uint8Array>;
  /** Decodes exactly one frame; never allocates or returns more than `limit` bytes. */
  decompressFrameSync(
    frame: Uint8Array,
    info: ZstdFrameInfo,
    limit: number,
    dictionary: Uint8Array | undefined,
  ): Uint8Array;
  decompressFrame(
    frame: Uint8Array,
    info: ZstdFrameInfo,
    limit: number,
    dictionary: Uint8Array | undefined,
  ): Promise<Uint8Array>;
}
