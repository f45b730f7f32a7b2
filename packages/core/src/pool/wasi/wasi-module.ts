// Reads a tool's module once (bounded), names it by the SHA-256 of its bytes, and compiles
// it at most once per (digest, memory cap) for the whole process: several tools, or one
// tool made twice, share the compiled code. The cache is bounded (least recently used).
import { createHash } from "node:crypto";
import { closeSync, fstatSync, openSync, readSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { LRUCache } from "lru-cache";
import { NextGenError } from "../../errors/next-gen-error.js";
import { OptionsError } from "../../errors/options-error.js";
import { capMemory } from "./memory-limit.js";
import type { WasiModuleSource } from "./wasi-tool-types.js";
import { type WasmModule, wasm } from "./wasm-api.js";

/** Largest module file or byte array accepted. */
export const MAX_MODULE_BYTES: number = 64 * 1024 * 1024;
/** Compiled modules kept (per digest and memory cap). */
const COMPILED_ENTRIES = 64;

const compiled = new LRUCache<string, Promise<WasmModule>>({ max: COMPILED_ENTRIES });

/** A tool's module, loaded and identified; compiled on first use. */
export interface LoadedModule {
  /** `"sha256:<hex>"` of the bytes as given; undefined for a compiled `WasmModule`. */
  readonly digest: string | undefined;
  /** The module with its memory capped, compiled (cached). */
  compile(): Promise<WasmModule>;
}

function readBounded(path: string): Uint8Array {
  let fd: number;
  try {
    fd = openSync(path, "r");
  } catch (error) {
    throw new OptionsError("options.module", `cannot be read: ${(error as Error).message}`, { cause: error });
  }
  try {
    const stat = fstatSync(fd);
    if (!stat.isFile()) throw new OptionsError("options.module", `is not a file: ${path}`);
    const size = stat.size;
    if (size > MAX_MODULE_BYTES) throw new OptionsError("options.module", `is larger than ${MAX_MODULE_BYTES} bytes`);
    const bytes = new Uint8Array(size);
    let offset = 0;
    while (offset < size) {
      const read = readSync(fd, bytes, offset, size - offset, offset);
      if (read === 0) break;
      offset += read;
    }
    return bytes.subarray(0, offset);
  } finally {
    closeSync(fd);
  }
}

function toBytes(source: Uint8Array | ArrayBuffer | string | URL): Uint8Array {
  if (typeof source === "string") return readBounded(source.startsWith("file:") ? fileURLToPath(source) : source);
  if (source instanceof URL) return readBounded(fileURLToPath(source));
  const bytes = source instanceof ArrayBuffer ? new Uint8Array(source) : source;
  if (bytes.byteLength > MAX_MODULE_BYTES) {
    throw new OptionsError("options.module", `is larger than ${MAX_MODULE_BYTES} bytes`);
  }
  // A private copy: the caller may reuse its buffer, and the digest must keep naming these bytes.
  return new Uint8Array(bytes);
}

/**
 * Loads `source` and caps its memory to `maxPages` (synchronously: a tool's digest must be
 * known when it is registered, and a module it cannot run is refused when it is made).
 */
export function loadModule(source: WasiModuleSource, maxPages: number): LoadedModule {
  if (source instanceof wasm.Module) {
    const module = source;
    return { digest: undefined, compile: () => Promise.resolve(module) };
  }
  const isBytes = source instanceof Uint8Array || source instanceof ArrayBuffer;
  if (!isBytes && typeof source !== "string" && !(source instanceof URL)) {
    throw new OptionsError("options.module", "must be bytes, a file path or URL, or a WasmModule");
  }
  const bytes = toBytes(source);
  if (!wasm.validate(bytes)) {
    throw new NextGenError("NG_ERR_WASI_MODULE_INVALID", "WASI module: the bytes are not a valid WebAssembly module");
  }
  const digest = `sha256:${createHash("sha256").update(bytes).digest("hex")}`;
  const capped = capMemory(bytes, maxPages);
  const key = `${digest}:${maxPages}`;
  return {
    digest,
    compile(): Promise<WasmModule> {
      let pending = compiled.get(key);
      if (pending === undefined) {
        pending = wasm.compile(capped);
        // A failed compile is not kept: the next call reports it again rather than a stale promise.
        pending.catch(() => compiled.delete(key));
        compiled.set(key, pending);
      }
      return pending;
    },
  };
}
