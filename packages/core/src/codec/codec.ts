/**
 * A byte codec, such as the zstd codec of `@nextgen/compression`, which satisfies this
 * contract structurally. Decoding must refuse corrupt or oversize input with
 * `NG_ERR_CODEC_CORRUPT` / `NG_ERR_CODEC_TOO_LARGE` rather than return garbage.
 */
export interface Codec {
  /** Backend name, for diagnostics (`node-zlib`, `zstd-wasm`, `fzstd`). */
  readonly backend: string;
  /** Encodes bytes. */
  encode(input: Uint8Array): Promise<Uint8Array>;
  /** Decodes bytes produced by `encode` (or by any conforming encoder). */
  decode(input: Uint8Array): Promise<Uint8Array>;
  /** Optional: whether `input` starts like an encoded frame (magic number check). */
  isEncoded?(input: Uint8Array): boolean;
}
