import { describe, expect, it } from "vitest";
import { NextGenError } from "./next-gen-error.js";
import { errorCode, toNextGenError, UNCODED_ERROR_CODE } from "./uncoded-error.js";

describe("errorCode", () => {
  it("keeps the code of a NextGenError, whichever package's union it comes from", () => {
    expect(errorCode(new NextGenError("NG_ERR_TOOL_UNKNOWN", "no such tool"))).toBe("NG_ERR_TOOL_UNKNOWN");
    expect(errorCode(new NextGenError<"NG_ERR_MCP_LIMIT">("NG_ERR_MCP_LIMIT", "too many tools"))).toBe(
      "NG_ERR_MCP_LIMIT",
    );
  });

  it("keeps an NG_ERR code that crossed a boundary as a plain object", () => {
    expect(errorCode({ code: "NG_ERR_POOL_TASK_TIMEOUT", message: "late" })).toBe("NG_ERR_POOL_TASK_TIMEOUT");
  });

  it("names every other thrown value with the one fallback code", () => {
    for (const thrown of [new TypeError("x is undefined"), { code: "ENOENT" }, "boom", undefined, null, 42]) {
      expect(errorCode(thrown)).toBe(UNCODED_ERROR_CODE);
    }
    expect(UNCODED_ERROR_CODE).toBe("NG_ERR_INTERNAL_ERROR");
  });
});

describe("toNextGenError", () => {
  it("returns a NextGenError unchanged", () => {
    const coded = new NextGenError("NG_ERR_SOURCE_READ", "cannot read");
    expect(toNextGenError(coded)).toBe(coded);
  });

  it("wraps an uncoded value with the fallback code, its message and the value as cause", () => {
    const thrown = new RangeError("index out of range");
    const wrapped = toNextGenError(thrown);
    expect(NextGenError.is(wrapped, UNCODED_ERROR_CODE)).toBe(true);
    expect(wrapped.message).toBe("index out of range");
    expect(wrapped.cause).toBe(thrown);
    expect(toNextGenError("boom", "Unexpected failure.").message).toBe("Unexpected failure.");
  });
});
