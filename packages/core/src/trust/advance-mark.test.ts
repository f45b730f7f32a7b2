import { describe, expect, it } from "vitest";
import { advancesMark } from "./advance-mark.js";
import type { HighWaterMark } from "./state-store.js";

const digest = (label: string): HighWaterMark["digest"] =>
  `sha256:${Buffer.from(label).toString("hex").padEnd(64, "0").slice(0, 64)}`;
const mark = (version: string, label = version): HighWaterMark => ({ version, digest: digest(label) });

// The rollback-advance rule every store (memory, file, Redis) runs: one table, one function.
describe("advancesMark", () => {
  it.each([
    [undefined, mark("1.0.0"), true],
    [mark("1.0.0"), mark("1.0.1"), true],
    [mark("1.9.0"), mark("1.10.0"), true],
    [mark("1.0.0-rc.1"), mark("1.0.0"), true],
    [mark("1.0.0"), mark("1.0.0"), false],
    [mark("latest"), mark("latest"), false],
  ] as const)("from %j to %j advances: %s", (previous, next, advances) => {
    expect(advancesMark("a/b", previous, next)).toBe(advances);
  });

  it.each([
    [mark("1.10.0"), mark("1.9.0"), "rollback"],
    [mark("1.0.0"), mark("1.0.0-rc.1"), "rollback"],
    [mark("1.0.0"), mark("latest"), "rollback"],
    [mark("1.0"), mark("1.0.0"), "rollback"],
    [mark("1.0.0", "one"), mark("1.0.0", "two"), "version-reused"],
  ] as const)("from %j to %j refuses with %s", (previous, next, reason) => {
    expect(() => advancesMark("a/b", previous, next)).toThrow(expect.objectContaining({ reason }));
  });
});
