import { describe, expect, it } from "vitest";
import { compareSemver, compareVersions, highestVersion, isSemver } from "./semver-compare.js";

describe("compareSemver", () => {
  it("orders by semver 2.0.0 precedence (spec section 11 example)", () => {
    const ordered = [
      "1.0.0-alpha",
      "1.0.0-alpha.1",
      "1.0.0-alpha.beta",
      "1.0.0-beta",
      "1.0.0-beta.2",
      "1.0.0-beta.11",
      "1.0.0-rc.1",
      "1.0.0",
      "1.2.0",
      "1.10.0",
      "2.0.0",
    ];
    const shuffled = [...ordered].reverse();
    expect(shuffled.sort(compareSemver)).toEqual(ordered);
  });

  it("ignores build metadata and rejects malformed versions", () => {
    expect(compareSemver("1.0.0+build.1", "1.0.0")).toBe(0);
    expect(isSemver("01.0.0")).toBe(false);
    expect(isSemver("1.0")).toBe(false);
    expect(isSemver("1.0.0-rc.1+sha.5114f85")).toBe(true);
    expect(highestVersion(["1.9.0", "1.10.0", "bogus"])).toBe("1.10.0");
    expect(highestVersion([])).toBeUndefined();
  });
});

describe("compareVersions", () => {
  it("is strict: -1, 0 or 1, and undefined for anything that is not a semantic version", () => {
    expect(compareVersions("1.10.0", "1.9.0")).toBe(1);
    expect(compareVersions("1.0.0-rc.1", "1.0.0")).toBe(-1);
    expect(compareVersions("1.0.0+build.1", "1.0.0+build.2")).toBe(0);
    expect(compareVersions("1.0", "1.0.0")).toBeUndefined();
    expect(compareVersions("1.0.0", "01.0.0")).toBeUndefined();
  });

  it("orders numeric identifiers beyond 2^53 exactly (rollback marks depend on it)", () => {
    // Number() makes these two equal; a rollback check built on it would accept the older one.
    expect(compareVersions("9007199254740993.0.0", "9007199254740992.0.0")).toBe(1);
    expect(compareVersions("1.0.0-9007199254740992", "1.0.0-9007199254740993")).toBe(-1);
    expect(compareSemver("1.9007199254740993.0", "1.9007199254740992.0")).toBeGreaterThan(0);
  });
});
