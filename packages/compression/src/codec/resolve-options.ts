import { optionsError } from "../errors/compression-error.js";
import type { ResolvedZstdCodecOptions, ZstdCodecOptions } from "./zstd-codec-options.js";

const BACKENDS = ["auto", "node-zlib", "zstd-wasm", "fzstd"] as const;
/** Largest `maxOutputBytes` accepted: 1 GiB keeps one decode within a typical heap. */
export const MAX_OUTPUT_BYTES_LIMIT: number = 2 ** 30;

/** Applies defaults and validates; throws `NG_ERR_OPTIONS_INVALID` naming the option. */
export function resolveZstdCodecOptions(options: ZstdCodecOptions = {}): ResolvedZstdCodecOptions {
  const { level = 3, dictionaries = [], maxOutputBytes = 16 * 1024 * 1024 } = options;
  const { backend = "auto", requireChecksum = true } = options;
  if (!Number.isInteger(level) || level < -7 || level > 22 || level === 0) {
    throw optionsError("options.level", `must be an integer from -7 to 22 other than 0 (got ${String(level)})`);
  }
  if (!Number.isInteger(maxOutputBytes) || maxOutputBytes < 0 || maxOutputBytes > MAX_OUTPUT_BYTES_LIMIT) {
    throw optionsError("options.maxOutputBytes", `must be an integer from 0 to ${MAX_OUTPUT_BYTES_LIMIT} bytes`);
  }
  if (!BACKENDS.includes(backend)) {
    throw optionsError("options.backend", `must be one of ${BACKENDS.join(", ")} (got ${String(backend)})`);
  }
  if (typeof requireChecksum !== "boolean") throw optionsError("options.requireChecksum", "must be a boolean");
  if (!Array.isArray(dictionaries)) throw optionsError("options.dictionaries", "must be an array of Uint8Array");
  dictionaries.forEach((dictionary, index) => {
    if (!(dictionary instanceof Uint8Array) || dictionary.byteLength < 8) {
      throw optionsError(`options.dictionaries[${index}]`, "must be a Uint8Array of at least 8 bytes");
    }
  });
  return { level, dictionaries, maxOutputBytes, backend, requireChecksum };
}
