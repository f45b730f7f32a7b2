// The slice of the global `WebAssembly` API this folder uses, typed here because the
// project's `lib` (ES2023, no DOM) declares none of it, and declaring the global namespace
// ourselves would clash with the DOM typings of a host that has them.

/** A linear memory (`WebAssembly.Memory`). */
export interface WasmMemory {
  readonly buffer: ArrayBuffer;
}

/** A compiled module (`WebAssembly.Module`): opaque here. */
export type WasmModule = object;

/** An instance (`WebAssembly.Instance`). */
export interface WasmInstance {
  readonly exports: Record<string, unknown>;
}

/** The global `WebAssembly` object, as used here. */
export interface WasmApi {
  Module: abstract new (...args: never[]) => WasmModule;
  Instance: new (module: WasmModule, imports: Record<string, Record<string, unknown>>) => WasmInstance;
  Memory: abstract new (...args: never[]) => WasmMemory;
  RuntimeError: abstract new (...args: never[]) => Error;
  validate(bytes: Uint8Array): boolean;
  compile(bytes: Uint8Array): Promise<WasmModule>;
}

/** The runtime's `WebAssembly` (Node always has it). */
export const wasm: WasmApi = (globalThis as unknown as { WebAssembly: WasmApi }).WebAssembly;
