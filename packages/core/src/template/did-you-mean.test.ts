import { describe, expect, test } from "vitest";
import { didYouMean, MAX_SUGGESTED_KEY_LENGTH } from "./did-you-mean.js";
import { MAX_LISTED_ISSUES } from "./unknown-key.js";
import { validateTemplate } from "./validate-template.js";

const root = { schemaVersion: 1, id: "security/auditor", version: "1.0.0", name: "Auditor", description: "Audits." };
const keys = ["capabilities", "description", "instructions", "metadata", "tools", "version"];

describe("didYouMean", () => {
  test("suggests typos, swapped letters and unambiguous abbreviations", () => {
    expect(didYouMean("capabilites", keys)).toBe("capabilities");
    expect(didYouMean("descirption", keys)).toBe("description");
    expect(didYouMean("Tools", keys)).toBe("tools");
    expect(didYouMean("instr", keys)).toBe("instructions");
    expect(didYouMean("zzz", keys)).toBeUndefined();
    expect(didYouMean("meta", ["metadata", "metamodel"])).toBeUndefined();
  });

  test("compares no key longer than the cap: a 250 KB key gets no suggestion", () => {
    expect(didYouMean(`tools${"x".repeat(250_000)}`, keys)).toBeUndefined();
    expect(
      didYouMean("t".repeat(MAX_SUGGESTED_KEY_LENGTH + 1), ["t".repeat(MAX_SUGGESTED_KEY_LENGTH)]),
    ).toBeUndefined();
    expect(didYouMean("t".repeat(MAX_SUGGESTED_KEY_LENGTH), [`${"t".repeat(MAX_SUGGESTED_KEY_LENGTH - 1)}u`])).toBe(
      `${"t".repeat(MAX_SUGGESTED_KEY_LENGTH - 1)}u`,
    );
  });

  test("stops comparing once a candidate cannot be close enough, and still finds the closest", () => {
    expect(didYouMean("versoin", ["vision", "versions", "version"])).toBe("version");
    expect(didYouMean("abcdefghij", ["klmnopqrst", "abcdefghik"])).toBe("abcdefghik");
  });
});

describe("validateTemplate on hostile unknown keys", () => {
  test("a 250 KB unknown key is reported with its full pointer, a shortened message and no suggestion", () => {
    const key = "capabilites".repeat(23_000);
    const result = validateTemplate({ ...root, [key]: true });
    expect(result.valid).toBe(false);
    const [issue] = result.valid ? [] : result.issues;
    expect(issue).toMatchObject({ pointer: `/${key}`, keyword: "additionalProperties" });
    expect(issue!.suggestion).toBeUndefined();
    expect(issue!.message.length).toBeLessThan(120);
  });

  test("thousands of unknown keys: the first are listed with suggestions, the rest counted in one issue", () => {
    const hostile = Object.fromEntries(Array.from({ length: 5_000 }, (_, index) => [`capabilitie${index}`, 0]));
    const result = validateTemplate({ ...root, capabilites: [], ...hostile });
    expect(result.valid).toBe(false);
    const issues = result.valid ? [] : result.issues;
    expect(issues).toHaveLength(MAX_LISTED_ISSUES + 1);
    expect(issues[0]).toMatchObject({ pointer: "/capabilites", suggestion: "capabilities" });
    expect(issues[1]).toMatchObject({ pointer: "/capabilitie0", suggestion: "capabilities" });
    expect(issues.at(-1)).toEqual({
      pointer: "",
      keyword: "additionalProperties",
      message: `has ${5_001 - MAX_LISTED_ISSUES} more unknown properties (not listed)`,
      expected: issues[0]!.expected,
    });
  });
});
