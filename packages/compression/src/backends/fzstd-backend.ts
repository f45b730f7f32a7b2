import { CompressionError } from "../errors/compression-error.js";
import type { ZstdFrameInfo } from "../frame/zstd-frame.js";
import { FzstdSandbox } from "./fzstd-sandbox.js";
import type { ZstdBackend } from "./zstd-backend.js";
import { zstdWasmBackend } from "./zstd-wasm-backend.js";

// One worker for blocking decodes and one for promise-based ones: a blocking wait must never
// pick up the reply an awaited decode is waiting for. Both start on first use.
let syncSandbox: FzstdSandbox | undefined;
let asyncSandbox: FzstdSandbox | undefined;

function refuseDictionaries(info: ZstdFrameInfo, dictionary: Uint8Array | undefined): void {
  if (dictionary !== undefined || info.dictionaryId !== 0) {
    throw new CompressionError(
      "NG_ERR_CODEC_DICTIONARY",
      "the fzstd backend cannot decode frames that use a dictionary",
    );
  }
}

// With a known size (already checked against the limit) fzstd writes into a buffer of exactly
// that size; without one it streams in small slices and stops once the output passes the limit.
function decompressFrameSync(
  frame: Uint8Array,
  info: ZstdFrameInfo,
  limit: number,
  dictionary: Uint8Array | undefined,
): Uint8Array {
  refuseDictionaries(info, dictionary);
  syncSandbox ??= new FzstdSandbox();
  return syncSandbox.decodeSync({ frame, limit, contentSize: info.contentSize });
}

async function decompressFrame(
  frame: Uint8Array,
  info: ZstdFrameInfo,
  limit: number,
  dictionary: Uint8Array | undefined,
): Promise<Uint8Array> {
  refuseDictionaries(info, dictionary);
  asyncSandbox ??= new FzstdSandbox();
  return asyncSandbox.decode({ frame, limit, contentSize: info.contentSize });
}

/**
 * The `fzstd` backend: pure-JS decoding without dictionaries, run in a worker thread under a
 * work budget (fzstd can loop forever on corrupted input); encoding goes to zstd-wasm.
 */
export function fzstdBackend(): ZstdBackend {
  const encoder = zstdWasmBackend();
  return {
    name: "fzstd",
    verifiesChecksum: false,
    isReady: encoder.isReady,
    ready: encoder.ready,
    compressSync: encoder.compressSync,
    compress: encoder.compress,
    decompressFrameSync,
    decompressFrame,
  };
}
