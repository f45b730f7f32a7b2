import { describe, expect, test } from "vitest";
import { hasNodeZlibZstd } from "../backends/node-zlib-backend.js";
import { CompressionError } from "../errors/compression-error.js";
import { createZstdCodec } from "./create-zstd-codec.js";
import type { ZstdCodecOptions } from "./zstd-codec-options.js";

function optionNamed(options: unknown): string | undefined {
  try {
    createZstdCodec(options as ZstdCodecOptions);
  } catch (error) {
    if (error instanceof CompressionError && error.code === "NG_ERR_OPTIONS_INVALID") return error.option;
    throw error;
  }
  return undefined;
}

describe("createZstdCodec options", () => {
  test.each([
    [{ level: 0 }, "options.level"],
    [{ level: 23 }, "options.level"],
    [{ level: 1.5 }, "options.level"],
    [{ maxOutputBytes: -1 }, "options.maxOutputBytes"],
    [{ maxOutputBytes: 2 ** 31 }, "options.maxOutputBytes"],
    [{ backend: "brotli" }, "options.backend"],
    [{ requireChecksum: "yes" }, "options.requireChecksum"],
    [{ dictionaries: "dict" }, "options.dictionaries"],
    [{ dictionaries: [new Uint8Array(3)] }, "options.dictionaries[0]"],
    [{ backend: "fzstd", dictionaries: [new Uint8Array(64)] }, "options.dictionaries"],
  ])("refuses %o naming %s", (options, option) => {
    expect(optionNamed(options)).toBe(option);
  });

  test("refuses two dictionaries with the same id", () => {
    const raw = new Uint8Array(64).fill(65);
    expect(optionNamed({ backend: "zstd-wasm", dictionaries: [raw, raw.slice()] })).toBe("options.dictionaries[1]");
  });

  test("accepts the defaults and picks node-zlib exactly when the runtime has it", () => {
    expect(optionNamed({})).toBeUndefined();
    expect(createZstdCodec().backend).toBe(hasNodeZlibZstd() ? "node-zlib" : "zstd-wasm");
    if (!hasNodeZlibZstd()) expect(optionNamed({ backend: "node-zlib" })).toBe("options.backend");
  });

  test("sync forms of zstd-wasm wait for ready()", async () => {
    // Nothing in this file has loaded the WebAssembly module yet (vitest isolates files).
    const codec = createZstdCodec({ backend: "zstd-wasm" });
    expect(() => codec.encodeSync(new Uint8Array([1]))).toThrow(
      expect.objectContaining({ code: "NG_ERR_CODEC_UNAVAILABLE" }),
    );
    await codec.ready();
    await codec.ready();
    expect(codec.decodeSync(codec.encodeSync(new Uint8Array([1, 2, 3])))).toEqual(new Uint8Array([1, 2, 3]));
  });
});
