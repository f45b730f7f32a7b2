import { describe, expect, it } from "vitest";
import type { ValidationIssue } from "../errors/template-validation-error.js";
import { didYouMean } from "./did-you-mean.js";
import { MAX_LISTED_ISSUES } from "./unknown-key.js";
import { validateTemplate } from "./validate-template.js";

const minimal = { schemaVersion: 1, id: "qa/tester", version: "1.0.0" };

function issuesOf(value: unknown): ValidationIssue[] {
  const result = validateTemplate(value);
  return result.valid ? [] : result.issues;
}

describe("validateTemplate", () => {
  it("accepts a complete template and returns the same object, typed", () => {
    const template = {
      ...minimal,
      $schema: "https://unpkg.com/@nextgen/core/schema/agent-template.v1.json",
      extends: "base/specialist",
      name: "Tester",
      role: "my-custom-role",
      domain: "quality",
      description: "Writes tests.",
      capabilities: ["unit-tests", "property.tests"],
      tools: ["vitest"],
      config: { model: "gpt-4o", temperature: 0, maxTokens: 8192, timeoutMs: 1, maxRetries: 10 },
      metadata: { tier: "temporary", owner: "qa", tags: ["tests"] },
      signatures: [{ protected: "eyJhbGciOiJFZERTQSJ9", signature: "AbC-_9" }],
    };
    const result = validateTemplate(template);
    expect(result.valid && result.template).toBe(template);
  });

  it("accepts null for inheritable fields (a child removes them) but not for own fields", () => {
    expect(issuesOf({ ...minimal, name: null, config: { model: null }, metadata: null, capabilities: null })).toEqual(
      [],
    );
    expect(issuesOf({ ...minimal, extends: null, signatures: null }).map((issue) => issue.pointer)).toEqual([
      "/extends",
      "/signatures",
    ]);
    expect(issuesOf({ ...minimal, tools: [null] }).map((issue) => issue.pointer)).toEqual(["/tools/0"]);
  });

  it("reports required fields and a non-object", () => {
    expect(issuesOf({}).map((issue) => [issue.pointer, issue.keyword])).toEqual([
      ["/schemaVersion", "required"],
      ["/id", "required"],
      ["/version", "required"],
    ]);
    expect(issuesOf([1])).toEqual([
      { pointer: "", keyword: "type", message: "must be an object", expected: "object", actual: "array of 1" },
    ]);
  });

  it("suggests the closest known key for unknown keys, at every level", () => {
    const issues = issuesOf({
      ...minimal,
      capabilites: [],
      config: { temprature: 1 },
      metadata: { Tier: "critical" },
      zzz: 1,
    });
    expect(issues.map((issue) => [issue.pointer, issue.keyword, issue.suggestion])).toEqual([
      ["/capabilites", "additionalProperties", "capabilities"],
      ["/config/temprature", "additionalProperties", "temperature"],
      ["/metadata/Tier", "additionalProperties", "tier"],
      ["/zzz", "additionalProperties", undefined],
    ]);
    expect(issues[0]?.expected).toContain("capabilities");
  });

  it.each([
    ["security/auditor", true],
    ["a/b", true],
    ["base/specialist-v2", true],
    ["Security/auditor", false],
    ["security", false],
    ["a/b/c", false],
    ["../etc", false],
    ["a/..", false],
    ["-a/b", false],
    ["a/b-", false],
    ["a /b", false],
    ["a\\b", false],
    [`a/${"x".repeat(64)}`, true],
    [`a/${"x".repeat(65)}`, false],
  ])("id %j valid: %s", (id, valid) => {
    const issues = issuesOf({ ...minimal, id });
    expect(issues.length === 0).toBe(valid);
    if (!valid) expect(issues[0]).toMatchObject({ pointer: "/id", keyword: "pattern" });
  });

  it.each([
    ["1.0.0", true],
    ["0.0.1-alpha.1+sha.5114f85", true],
    ["10.20.30", true],
    ["1.0", false],
    ["v1.0.0", false],
    ["01.0.0", false],
    ["1.0.0-", false],
    ["1.0.0-01", false],
  ])("version %j valid: %s", (version, valid) => {
    expect(issuesOf({ ...minimal, version }).length === 0).toBe(valid);
  });

  it("checks types, ranges, integers, enums and uniqueness with expected and actual", () => {
    const issues = issuesOf({
      ...minimal,
      schemaVersion: 2,
      name: "",
      role: "Boss",
      config: { temperature: -0.1, maxTokens: 1.5, timeoutMs: 0, maxRetries: 11, model: 4 },
      metadata: { tier: "prod", tags: ["a", "a"] },
      tools: "semgrep",
      signatures: [{ protected: "a=b" }],
    });
    expect(issues.map((issue) => [issue.pointer, issue.keyword, issue.expected, issue.actual])).toEqual([
      ["/schemaVersion", "const", "1", "number 2"],
      ["/name", "minLength", "at least 1 characters", 'string ""'],
      ["/role", "pattern", expect.stringContaining("lowercase"), 'string "Boss"'],
      ["/config/temperature", "minimum", "0..2", "-0.1"],
      ["/config/maxTokens", "type", "integer", "number 1.5"],
      ["/config/timeoutMs", "minimum", "1..86400000", "0"],
      ["/config/maxRetries", "maximum", "0..10", "11"],
      ["/config/model", "type", "string", "number 4"],
      ["/metadata/tier", "enum", "critical | production | development | temporary", 'string "prod"'],
      ["/metadata/tags/1", "uniqueItems", undefined, 'string "a"'],
      ["/tools", "type", "array", 'string "semgrep"'],
      ["/signatures/0/protected", "pattern", "base64url", 'string "a=b"'],
      ["/signatures/0/signature", "required", 'property "signature"', undefined],
    ]);
    expect(issues.find((issue) => issue.pointer === "/metadata/tier")?.suggestion).toBe("production");
  });

  it("counts string length in code points, as JSON Schema does", () => {
    expect(issuesOf({ ...minimal, metadata: { tags: ["😂".repeat(64)] } })).toEqual([]);
    expect(issuesOf({ ...minimal, metadata: { tags: ["😂".repeat(65)] } })[0]?.keyword).toBe("maxLength");
  });

  it("escapes ~ and / in pointers (RFC 6901)", () => {
    expect(issuesOf({ ...minimal, config: { "a/b~c": 1 } })[0]?.pointer).toBe("/config/a~1b~0c");
  });
});

describe("didYouMean", () => {
  it("finds typos, swaps and case slips but not unrelated words", () => {
    const known = ["capabilities", "config", "metadata", "maxRetries", "tools"];
    expect(didYouMean("capabilites", known)).toBe("capabilities");
    expect(didYouMean("cofnig", known)).toBe("config");
    expect(didYouMean("Metadata", known)).toBe("metadata");
    expect(didYouMean("maxRetry", known)).toBe("maxRetries");
    expect(didYouMean("owner", known)).toBeUndefined();
    expect(didYouMean("x", known)).toBeUndefined();
  });
});

describe("validateTemplate on a hostile output schema", () => {
  it("a few more problems than are listed: counted in one issue", () => {
    // 99 schema problems after two other issues: 98 fit in the list, 1 is counted.
    const output = Object.fromEntries(Array.from({ length: 99 }, (_, index) => [`k${index}`, 0]));
    const issues = issuesOf({ ...minimal, id: "Bad Id", version: "x", output });
    expect(issues).toHaveLength(MAX_LISTED_ISSUES + 1);
    expect(issues.at(-1)?.message).toBe("has 1 more JSON Schema problem (not listed)");
  });

  it("tens of thousands of unsupported keywords: the first are listed, the walk stops and says so", () => {
    const output = Object.fromEntries(Array.from({ length: 20_000 }, (_, index) => [`k${index}`, 0]));
    const issues = issuesOf({ ...minimal, output });
    expect(issues).toHaveLength(MAX_LISTED_ISSUES + 1);
    expect(issues[0]).toMatchObject({ pointer: "/output/k0", keyword: "keyword" });
    expect(issues.at(-1)).toEqual({
      pointer: "/output",
      keyword: "schema",
      message: `has more JSON Schema problems than the ${MAX_LISTED_ISSUES} listed; the rest of the schema was not checked`,
    });
  });
});
