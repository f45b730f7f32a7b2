// Public API of @nextgen/compression, listed by name (no `export *`). Frame scanning and the
// xxh64 checksum stay private: they serve the codec, not its users.

// The codec: zstd with optional dictionaries, satisfying core's `Codec` structurally.

export type { ZstdBackendName } from "./backends/zstd-backend.js";
export { createZstdCodec } from "./codec/create-zstd-codec.js";
export type { ZstdCodec } from "./codec/zstd-codec.js";
export type { ZstdCodecOptions } from "./codec/zstd-codec-options.js";
export { isZstdFrame } from "./frame/zstd-frame.js";

// Dictionaries: the bundled default and training your own.

export { DEFAULT_DICTIONARY_URL, defaultDictionary } from "./default-dictionary.js";
export { dictionaryId } from "./dictionary/dictionary-id.js";
export type { TrainDictionaryOptions } from "./dictionary/train-dictionary.js";
export { trainDictionary } from "./dictionary/train-dictionary.js";

// `.json.zst` files.

export type { JsonZstCodec } from "./files/json-zst.js";
export { readJsonZst, writeJsonZst } from "./files/json-zst.js";

// Errors.

export type { CompressionErrorCode, CompressionErrorOptions } from "./errors/compression-error.js";
export { CompressionError } from "./errors/compression-error.js";
