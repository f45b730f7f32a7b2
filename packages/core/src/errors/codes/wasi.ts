/** Codes raised by WASI tools (`wasiTool` in `@nextgen/core/pool`). */
export const WASI_ERROR_CODES = [
  "NG_ERR_WASI_MODULE_INVALID",
  "NG_ERR_WASI_TRAP",
  "NG_ERR_WASI_EXIT",
  "NG_ERR_WASI_TIMEOUT",
  "NG_ERR_WASI_OUT_OF_MEMORY",
  "NG_ERR_WASI_ACCESS_DENIED",
  "NG_ERR_WASI_OUTPUT_TOO_LARGE",
] as const;
