import { describe, expect, it } from "vitest";
import type { TemplateDigest } from "../template/types.js";
import { type MemoVerdict, VerdictMemo } from "./verdict-memo.js";

const digest = (n: number) => `sha256:${String(n).padStart(64, "0")}` as TemplateDigest;
const verdict = (signature: string): MemoVerdict => ({
  signatures: [signature],
  keyIds: ["k"],
  validUntilMs: Number.POSITIVE_INFINITY,
});
const entries = (signature: string) => [{ protected: signature.split(".")[0], signature: signature.split(".")[1] }];

describe("VerdictMemo", () => {
  it("finds a verdict only for the same digest, scope and a template still carrying its signatures", () => {
    const memo = new VerdictMemo(10, 1_000_000);
    memo.remember("default", digest(1), verdict("p.s"));
    expect(memo.find("default", digest(1), entries("p.s"), 0)).toBeDefined();
    expect(memo.find("default", digest(1), entries("p.other"), 0)).toBeUndefined();
    expect(memo.find("0", digest(1), entries("p.s"), 0)).toBeUndefined();
    expect(memo.find("default", digest(2), entries("p.s"), 0)).toBeUndefined();
  });

  it("drops the least recently used digest past maxEntries (a find counts as a use)", () => {
    const memo = new VerdictMemo(2, 1_000_000);
    memo.remember("default", digest(1), verdict("p.a"));
    memo.remember("default", digest(2), verdict("p.b"));
    expect(memo.find("default", digest(1), entries("p.a"), 0)).toBeDefined();
    memo.remember("default", digest(3), verdict("p.c"));
    expect(memo.size).toBe(2);
    expect(memo.find("default", digest(2), entries("p.b"), 0)).toBeUndefined();
    expect(memo.find("default", digest(1), entries("p.a"), 0)).toBeDefined();
  });

  it("keeps its byte count within maxBytes, and does not keep a verdict larger than the bound", () => {
    const memo = new VerdictMemo(1_000, 2_000);
    for (let n = 0; n < 50; n++) memo.remember("default", digest(n), verdict(`p.${"s".repeat(100)}${n}`));
    expect(memo.bytes).toBeLessThanOrEqual(2_000);
    expect(memo.size).toBeGreaterThan(0);
    expect(memo.find("default", digest(49), entries(`p.${"s".repeat(100)}49`), 0)).toBeDefined();
    const before = memo.bytes;
    memo.remember("default", digest(99), verdict(`p.${"x".repeat(5_000)}`));
    expect(memo.find("default", digest(99), entries(`p.${"x".repeat(5_000)}`), 0)).toBeUndefined();
    expect(memo.bytes).toBe(before);
  });

  it("replaces a verdict for the same signatures instead of counting it twice", () => {
    const memo = new VerdictMemo(10, 1_000_000);
    memo.remember("default", digest(1), verdict("p.s"));
    const bytes = memo.bytes;
    memo.remember("default", digest(1), verdict("p.s"));
    expect(memo.bytes).toBe(bytes);
    expect(memo.size).toBe(1);
  });
});
