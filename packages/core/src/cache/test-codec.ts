import { promisify } from "node:util";
import { brotliCompress, brotliDecompress } from "node:zlib";
import type { Codec } from "../codec/codec.js";

const compress = promisify(brotliCompress);
const decompress = promisify(brotliDecompress);

/**
 * A real compressing codec for cache tests, so that they do not depend on
 * `@nextgen/compression` (which core must never import).
 * @internal
 */
export const brotliTestCodec: Codec = {
  backend: "node-brotli (tests)",
  encode: async (input) => new Uint8Array(await compress(input)),
  decode: async (input) => new Uint8Array(await decompress(input)),
};
