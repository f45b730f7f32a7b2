import { describe, expect, test } from "vitest";
import { buildWat } from "./fixtures/build-fixtures.js";
import { capMemory } from "./memory-limit.js";
import { type WasmInstance, wasm } from "./wasm-api.js";

async function memoryOf(wat: string, maxPages: number): Promise<{ pages: number; grow: (pages: number) => number }> {
  const bytes = capMemory(await buildWat("memory", wat), maxPages);
  const instance: WasmInstance = new wasm.Instance(await wasm.compile(bytes), {});
  const memory = instance.exports.memory as { buffer: ArrayBuffer; grow(pages: number): number };
  const grow = (pages: number): number => {
    try {
      return memory.grow(pages);
    } catch {
      return -1;
    }
  };
  return { pages: memory.buffer.byteLength / 65_536, grow };
}

describe("capMemory", () => {
  test("caps a memory declared without a maximum", async () => {
    const memory = await memoryOf('(module (memory (export "memory") 1))', 4);
    expect(memory.grow(3)).toBe(1);
    expect(memory.grow(1)).toBe(-1);
  });

  test("caps a higher declared maximum and keeps a lower one", async () => {
    const higher = await memoryOf('(module (memory (export "memory") 2 100))', 3);
    expect(higher.grow(1)).toBe(2);
    expect(higher.grow(1)).toBe(-1);
    const lower = await memoryOf('(module (memory (export "memory") 1 2))', 50);
    expect(lower.grow(1)).toBe(1);
    expect(lower.grow(1)).toBe(-1);
  });

  test("leaves a module without memory as it is", async () => {
    const bytes = await buildWat("none", '(module (func (export "f")))');
    expect(capMemory(bytes, 1)).toBe(bytes);
  });

  test("refuses an initial memory above the cap, shared memories, and malformed sections", async () => {
    const big = await buildWat("big", "(module (memory 10))");
    expect(() => capMemory(big, 9)).toThrow(expect.objectContaining({ code: "NG_ERR_WASI_OUT_OF_MEMORY" }));
    // (memory 1 2 shared): flags 3.
    const shared = new Uint8Array([0, 0x61, 0x73, 0x6d, 1, 0, 0, 0, 5, 4, 1, 3, 1, 2]);
    expect(() => capMemory(shared, 9)).toThrow(expect.objectContaining({ code: "NG_ERR_WASI_MODULE_INVALID" }));
    expect(() => capMemory(new Uint8Array([1, 2, 3]), 9)).toThrow(
      expect.objectContaining({ code: "NG_ERR_WASI_MODULE_INVALID" }),
    );
    // A memory section claiming more bytes than the module has.
    const truncated = new Uint8Array([0, 0x61, 0x73, 0x6d, 1, 0, 0, 0, 5, 0x7f, 1]);
    expect(() => capMemory(truncated, 9)).toThrow(expect.objectContaining({ code: "NG_ERR_WASI_MODULE_INVALID" }));
  });
});
