import { describe, expect, it } from "vitest";
import { NextGenError } from "./next-gen-error.js";
import { OptionsError } from "./options-error.js";

describe("NextGenError", () => {
  it("carries code, cause and a literal name", () => {
    const cause = new Error("disk on fire");
    const error = new NextGenError("NG_ERR_SOURCE_READ", "cannot read templates", { cause });
    expect(error.code).toBe("NG_ERR_SOURCE_READ");
    expect(error.cause).toBe(cause);
    expect(error.name).toBe("NextGenError");
    expect(error).toBeInstanceOf(Error);
    expect(String(error)).toBe("NextGenError: cannot read templates");
  });

  it("omits cause when none is given", () => {
    expect("cause" in new NextGenError("NG_ERR_FACTORY_CLOSED", "closed")).toBe(false);
  });

  it("is() recognises the brand from another copy of the SDK, not the class", () => {
    // A structurally identical error made by a second install (or by @nextgen/compression).
    const foreign = Object.assign(new Error("x"), { code: "NG_ERR_CODEC_CORRUPT" });
    Object.defineProperty(foreign, Symbol.for("nextgen.error"), { value: true });
    expect(NextGenError.is(foreign)).toBe(true);
    expect(NextGenError.is(foreign, "NG_ERR_CODEC_CORRUPT")).toBe(true);
    expect(NextGenError.is(foreign, "NG_ERR_CODEC_TOO_LARGE")).toBe(false);
  });

  it("is() refuses look-alikes without the brand", () => {
    expect(NextGenError.is(Object.assign(new Error("x"), { code: "NG_ERR_CODEC_CORRUPT" }))).toBe(false);
    expect(NextGenError.is(null)).toBe(false);
    expect(NextGenError.is("NG_ERR_CODEC_CORRUPT")).toBe(false);
  });

  it("keeps the brand out of enumeration and JSON", () => {
    const error = new NextGenError("NG_ERR_FACTORY_CLOSED", "closed");
    expect(
      Object.getOwnPropertySymbols(error).every(
        (symbol) => !Object.getOwnPropertyDescriptor(error, symbol)?.enumerable,
      ),
    ).toBe(true);
    expect(JSON.stringify({ ...error })).not.toContain("nextgen.error");
  });
});

describe("OptionsError", () => {
  it("names the option in the message and the field", () => {
    const error = new OptionsError("options.maxThreads", "must be ≥ options.minThreads (2), got 1");
    expect(error.code).toBe("NG_ERR_OPTIONS_INVALID");
    expect(error.option).toBe("options.maxThreads");
    expect(error.message).toBe("options.maxThreads must be ≥ options.minThreads (2), got 1");
    expect(error.name).toBe("NextGenOptionsError");
    expect(NextGenError.is(error, "NG_ERR_OPTIONS_INVALID")).toBe(true);
  });
});
