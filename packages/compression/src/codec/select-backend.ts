import { fzstdBackend } from "../backends/fzstd-backend.js";
import { hasNodeZlibZstd, nodeZlibBackend, nodeZlibSupportsDictionaries } from "../backends/node-zlib-backend.js";
import type { ZstdBackend } from "../backends/zstd-backend.js";
import { zstdWasmBackend } from "../backends/zstd-wasm-backend.js";
import { optionsError } from "../errors/compression-error.js";
import type { ResolvedZstdCodecOptions } from "./zstd-codec-options.js";

/** Picks the backend named by `options.backend`, or the best one this runtime has for `"auto"`. */
export function selectBackend(options: ResolvedZstdCodecOptions): ZstdBackend {
  const usesDictionaries = options.dictionaries.length > 0;
  switch (options.backend) {
    case "node-zlib": {
      const backend = nodeZlibBackend();
      if (backend === undefined) {
        throw optionsError(
          "options.backend",
          `"node-zlib" needs node:zlib zstd (Node ≥ 22.15), absent on ${process.version}`,
        );
      }
      if (usesDictionaries && !nodeZlibSupportsDictionaries()) {
        throw optionsError("options.dictionaries", `node:zlib zstd on ${process.version} ignores dictionaries`);
      }
      return backend;
    }
    case "fzstd":
      if (usesDictionaries) throw optionsError("options.dictionaries", `the "fzstd" backend cannot use dictionaries`);
      return fzstdBackend();
    case "zstd-wasm":
      return zstdWasmBackend();
    default:
      if (hasNodeZlibZstd() && (!usesDictionaries || nodeZlibSupportsDictionaries())) return nodeZlibBackend()!;
      return zstdWasmBackend();
  }
}
