// `@nextgen/compression/internal`: frame inspection shared with `@nextgen/cli` (`nextgen
// inspect` shows a file's frame header). Not part of the public API: no semver promise, not in
// the API docs. Listed by name, like every entry point.

// zstd frame headers, read without decoding.

export type { ZstdFrameInfo } from "./frame/zstd-frame.js";
export { scanFrames } from "./frame/zstd-frame.js";
