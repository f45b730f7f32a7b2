// Option and result types of `wasiTool` (a leaf file: no implementation imports).

import type { JsonSchema, StandardSchemaV1, ToolDefinition } from "../../tools/tool-definition.js";
import type { AgentPool } from "../agent-pool-types.js";
import type { WorkerPoolOptions } from "../types.js";

/**
 * Where a tool's WebAssembly module comes from: its bytes, a path to a `.wasm` file (read
 * once, when the tool is made), or an already compiled `WebAssembly.Module` (typed as an
 * object: the project's typings have no DOM `WebAssembly`; anything else is refused at run time).
 *
 * @example
 * ```ts
 * const fromFile: WasiModuleSource = "./tools/linter.wasm";
 * const fromBytes: WasiModuleSource = await readFile("./tools/linter.wasm");
 * ```
 */
export type WasiModuleSource = Uint8Array | ArrayBuffer | string | URL | object;

/**
 * Options of the pool a WASI tool creates for itself when it is not given an agent pool:
 * a worker pool's options without `filename` (the tool's runner) or `workerData`.
 *
 * @example
 * ```ts
 * const options: WasiPoolOptions = { maxThreads: 2, resourceLimits: { maxOldGenerationSizeMb: 32 } };
 * ```
 */
export type WasiPoolOptions = Omit<WorkerPoolOptions, "filename" | "workerData">;

/**
 * Options of {@link wasiTool}.
 *
 * @example
 * ```ts
 * const options: WasiToolOptions = {
 *   module: "./tools/linter.wasm",
 *   description: "Lints a YAML document.",
 *   inputSchema: { type: "object", properties: { yaml: { type: "string" } }, required: ["yaml"] },
 *   preopens: { "/rules": "./rules" },
 *   timeoutMs: 2_000,
 * };
 * ```
 */
export interface WasiToolOptions<Input = unknown> {
  /** The WASI (preview 1) command module: bytes, a file path or URL, or a compiled module. */
  module: WasiModuleSource;
  /** What the tool does, for the model. */
  description: string;
  /** JSON Schema object (2020-12 subset), or any Standard Schema: the input is validated before the module runs. */
  inputSchema: JsonSchema | StandardSchemaV1<Input>;
  /**
   * Directories the module may open, as in `node:wasi`: `{ "<path the module sees>": "<host directory>" }`.
   * Read-only unless listed in `writable`. Nothing else of the host's file system is reachable.
   * @default {} (no file system at all)
   */
  preopens?: Readonly<Record<string, string>>;
  /**
   * Guest paths (keys of `preopens`) the module may also write to: create, truncate, write,
   * rename, delete and change times of files below them. Every other preopen is read-only.
   * @default []
   */
  writable?: readonly string[];
  /** The environment the module sees. @default {} (empty) */
  env?: Readonly<Record<string, string>>;
  /**
   * Upper bound of the module's linear memory, in bytes (whole 64 KiB pages). A module that
   * declares a lower maximum keeps it; one declaring none or a higher one is capped to this.
   * Reaching it fails the call with `NG_ERR_WASI_OUT_OF_MEMORY`. @default 134217728 (128 MiB)
   */
  memoryLimitBytes?: number;
  /** Milliseconds one call may run before it fails with `NG_ERR_WASI_TIMEOUT` (its worker is replaced). @default 30000 */
  timeoutMs?: number;
  /** Bytes of stdout one call may write; more fails with `NG_ERR_WASI_OUTPUT_TOO_LARGE`. @default 1048576 (1 MiB) */
  maxOutputBytes?: number;
  /** Bytes of stderr kept for the error of a failed call (the rest is dropped). @default 65536 */
  maxStderrBytes?: number;
  /**
   * Where calls run: an agent pool (`createAgentPool()`, e.g. the one given to the
   * factory as its `pool`; you close it), or options of a pool the tool creates on its
   * first call and closes in `close()`. Never the main thread.
   * @default a pool of the tool's own, `{ maxThreads: 2, resourceLimits: { maxOldGenerationSizeMb: 64 } }`
   */
  pool?: AgentPool | WasiPoolOptions;
}

/**
 * A tool whose implementation is a WASI module, for `toolRegistry`. Its `digest` is the
 * SHA-256 of the module's bytes (`undefined` for a compiled `WebAssembly.Module`, whose
 * bytes are not known), so a template's `toolPins` can pin it.
 *
 * @example
 * ```ts
 * const lint = wasiTool({ module: "./tools/linter.wasm", description: "Lints YAML.", inputSchema: { type: "object" } });
 * console.log(lint.digest); // "sha256:…"
 * await lint.close();
 * ```
 */
export interface WasiTool<Input = unknown> extends ToolDefinition<Input, unknown> {
  /** `"sha256:<hex>"` of the module bytes as given. */
  readonly digest: string | undefined;
  /** Closes the pool the tool created (an agent pool passed in is left to its owner). Idempotent. */
  close(): Promise<void>;
}
