import { NextGenError } from "@nextgen/core";
import { describe, expect, test } from "vitest";
import { createZstdCodec } from "../codec/create-zstd-codec.js";
import { CompressionError } from "./compression-error.js";

describe("CompressionError", () => {
  test("is recognised by core's NextGenError.is with its code, without importing core", async () => {
    const error = await createZstdCodec({ backend: "fzstd" })
      .decode(new Uint8Array([1, 2, 3, 4, 5, 6]))
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(CompressionError);
    expect(NextGenError.is(error, "NG_ERR_CODEC_CORRUPT")).toBe(true);
    expect(NextGenError.is(error, "NG_ERR_CODEC_TOO_LARGE")).toBe(false);
    expect((error as Error).name).toBe("CompressionError");
  });

  test("keeps the brand non-enumerable and the cause", () => {
    const cause = new Error("backend said no");
    const error = new CompressionError("NG_ERR_CODEC_TOO_LARGE", "too big", { cause });
    expect(Object.keys(error)).not.toContain(Symbol.for("nextgen.error").toString());
    expect(Object.getOwnPropertyDescriptor(error, Symbol.for("nextgen.error"))).toMatchObject({
      value: true,
      enumerable: false,
    });
    expect(error.cause).toBe(cause);
    expect(JSON.stringify(error)).not.toContain("nextgen.error");
  });

  test("options errors carry NG_ERR_OPTIONS_INVALID and name the option", () => {
    const error = (() => {
      try {
        createZstdCodec({ level: 99 });
      } catch (caught) {
        return caught;
      }
    })();
    expect(NextGenError.is(error, "NG_ERR_OPTIONS_INVALID")).toBe(true);
    expect(error).toMatchObject({ option: "options.level", message: /^options\.level must be/ });
  });
});
