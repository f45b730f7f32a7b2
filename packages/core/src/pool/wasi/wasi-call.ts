// What crosses the thread boundary for one WASI tool call (a leaf file: types only).
import type { WasmModule } from "./wasm-api.js";

/** Main → worker: everything one call needs; the worker keeps nothing between calls. */
export interface WasiCallPayload {
  /** The compiled module (structured clone shares the compiled code, it is not recompiled). */
  module: WasmModule;
  /** Bytes the module reads on stdin (the input as JSON). */
  stdin: Uint8Array;
  /** `argv`, starting with the tool's name. */
  args: string[];
  /** The environment the module sees. */
  env: Record<string, string>;
  /** `[guest path, host directory, writable]`, in the order WASI numbers them (fd 3, 4, …). */
  preopens: [string, string, boolean][];
  /** Upper bound of linear memory, checked at every WASI call too. */
  memoryLimitBytes: number;
  /** Bytes of stdout allowed before the call fails. */
  maxOutputBytes: number;
  /** Bytes of stderr kept. */
  maxStderrBytes: number;
}

/** How a call ended in the worker. */
export type WasiCallStatus =
  /** `_start` returned or `proc_exit` was called: see `exitCode`. */
  | "exited"
  /** A WebAssembly trap (unreachable, out-of-bounds access, stack overflow, …). */
  | "trap"
  /** Memory reached `memoryLimitBytes` (a refused grow, then a trap), or could not be allocated. */
  | "oom"
  /** stdout passed `maxOutputBytes`. */
  | "output"
  /** The module could not be instantiated (imports other than WASI preview 1, no memory export, …). */
  | "invalid";

/** Worker → main: the outcome of one call (never thrown, so nothing is lost in cloning). */
export interface WasiCallOutcome {
  status: WasiCallStatus;
  /** Exit code when `status` is `"exited"`. */
  exitCode: number | undefined;
  /** stdout, UTF-8 decoded. */
  stdout: string;
  /** stderr, UTF-8 decoded, bounded. */
  stderr: string;
  /** File system calls the sandbox refused (bounded). */
  denied: string[];
  /** What went wrong, for `trap`, `oom`, `invalid`. */
  message: string;
}
