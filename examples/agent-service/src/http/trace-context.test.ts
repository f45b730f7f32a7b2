import { describe, expect, it } from "vitest";
import { requestIdOf, traceContextOf } from "./trace-context.js";

describe("traceContextOf", () => {
  it("reads a valid W3C traceparent", () => {
    expect(traceContextOf("00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01")).toEqual({
      traceId: "0af7651916cd43dd8448eb211c80319c",
      parentId: "b7ad6b7169203331",
      flags: "01",
    });
  });

  it("starts a new trace for a missing, malformed or all-zero traceparent", () => {
    for (const header of [
      undefined,
      "garbage",
      "01-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01",
      `00-${"0".repeat(32)}-b7ad6b7169203331-01`,
      `00-0af7651916cd43dd8448eb211c80319c-${"0".repeat(16)}-01`,
    ]) {
      const trace = traceContextOf(header);
      expect(trace.traceId).toMatch(/^[0-9a-f]{32}$/);
      expect(trace.traceId).not.toBe("0af7651916cd43dd8448eb211c80319c");
      expect(trace.parentId).toBeUndefined();
    }
    expect(traceContextOf(undefined).traceId).not.toBe(traceContextOf(undefined).traceId);
  });
});

describe("requestIdOf", () => {
  it("echoes printable ids up to 128 characters only", () => {
    expect(requestIdOf("client-req-42")).toBe("client-req-42");
    expect(requestIdOf("x".repeat(129))).toBeUndefined();
    expect(requestIdOf("a\nb")).toBeUndefined();
    expect(requestIdOf(undefined)).toBeUndefined();
  });
});
