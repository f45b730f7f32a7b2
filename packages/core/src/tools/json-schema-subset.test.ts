import { describe, expect, it } from "vitest";
import { JSON_SCHEMA_MAX_PROBLEMS, jsonSchemaIssues, jsonSchemaProblems } from "./json-schema-subset.js";

const person = {
  type: "object",
  properties: {
    name: { type: "string", minLength: 1, maxLength: 5 },
    age: { type: "integer", minimum: 0, exclusiveMaximum: 150 },
    tags: { type: "array", items: { enum: ["a", "b"] }, uniqueItems: true, maxItems: 3 },
    kind: { const: "person" },
  },
  required: ["name"],
  additionalProperties: false,
} as const;

describe("jsonSchemaIssues", () => {
  it("accepts a value that satisfies every keyword", () => {
    expect(jsonSchemaIssues(person, { name: "Ada", age: 36, tags: ["a", "b"], kind: "person" })).toEqual([]);
    expect(jsonSchemaIssues(true, { anything: 1 })).toEqual([]);
  });

  it("reports every problem with a JSON pointer into the value", () => {
    const issues = jsonSchemaIssues(person, { age: 1.5, tags: ["a", "a", "c"], kind: "robot", extra: 1 });
    expect(issues.map((issue) => [issue.pointer, issue.keyword])).toEqual([
      ["/name", "required"],
      ["/age", "type"],
      ["/tags/2", "enum"],
      ["/tags/1", "uniqueItems"],
      ["/kind", "const"],
      ["/extra", "additionalProperties"],
    ]);
    expect(jsonSchemaIssues(false, 1)[0]?.keyword).toBe("false");
  });

  it("checks strings by code point, numbers by range and multipleOf, and patterns", () => {
    const schema = { type: "string", maxLength: 2, pattern: "^[a-z😂]+$" };
    expect(jsonSchemaIssues(schema, "😂😂")).toEqual([]);
    expect(jsonSchemaIssues(schema, "ABC").map((issue) => issue.keyword)).toEqual(["maxLength", "pattern"]);
    expect(jsonSchemaIssues({ multipleOf: 0.1, maximum: 1 }, 0.3)).toEqual([]);
    expect(jsonSchemaIssues({ multipleOf: 0.1, maximum: 1 }, 1.05).map((issue) => issue.keyword)).toEqual([
      "maximum",
      "multipleOf",
    ]);
    expect(jsonSchemaIssues({ type: "number" }, Number.NaN)[0]?.keyword).toBe("type");
  });

  it("combines anyOf, oneOf, allOf and not, and follows local $ref into $defs", () => {
    const schema = {
      $defs: { id: { type: "string", pattern: "^[a-z]+$" } },
      anyOf: [{ $ref: "#/$defs/id" }, { type: "integer" }],
      not: { const: "root" },
    };
    expect(jsonSchemaIssues(schema, "abc")).toEqual([]);
    expect(jsonSchemaIssues(schema, 7)).toEqual([]);
    expect(jsonSchemaIssues(schema, "ABC").map((issue) => issue.keyword)).toEqual(["anyOf"]);
    expect(jsonSchemaIssues(schema, "root").map((issue) => issue.keyword)).toEqual(["not"]);
    expect(jsonSchemaIssues({ oneOf: [{ type: "number" }, { type: "integer" }] }, 1)[0]?.message).toContain(
      "matched 2",
    );
    expect(jsonSchemaIssues({ allOf: [{ minimum: 2 }, { maximum: 1 }] }, 1.5)).toHaveLength(2);
  });

  it("stays bounded on a self-referencing schema and deep values", () => {
    const loop = { $defs: { a: { $ref: "#/$defs/a" } }, $ref: "#/$defs/a" };
    expect(jsonSchemaIssues(loop, 1)[0]?.keyword).toBe("$ref");
    const tree = { $defs: { node: { type: "array", items: { $ref: "#/$defs/node" } } }, $ref: "#/$defs/node" };
    let deep: unknown[] = [];
    for (let level = 0; level < 200; level++) deep = [deep];
    expect(jsonSchemaIssues(tree, deep).some((issue) => issue.keyword === "depth")).toBe(true);
    // anyOf of anyOf …: exponential without a budget, refused by the evaluation limit.
    let blowUp: Record<string, unknown> = { type: "string" };
    for (let level = 0; level < 30; level++) blowUp = { anyOf: [{ type: "integer" }, blowUp, blowUp] };
    const issues = jsonSchemaIssues(blowUp, true);
    expect(issues.length).toBeGreaterThan(0);
  });

  it("caps the issues of one value at 50 plus a summary", () => {
    const value = Object.fromEntries(Array.from({ length: 80 }, (_, index) => [`k${index}`, 1]));
    const issues = jsonSchemaIssues({ additionalProperties: false }, value);
    expect(issues).toHaveLength(51);
    expect(issues.at(-1)?.message).toBe("and 30 more problem(s)");
  });
});

describe("jsonSchemaProblems", () => {
  it("accepts the supported subset and annotations", () => {
    expect(jsonSchemaProblems(person)).toEqual([]);
    expect(jsonSchemaProblems({ $schema: "x", title: "t", format: "uri", default: 1, type: "string" })).toEqual([]);
  });

  it("refuses unsupported keywords, malformed values and unresolvable references, with pointers", () => {
    const problems = jsonSchemaProblems(
      {
        type: "object",
        if: { type: "string" },
        properties: { a: { type: "strin" }, b: { pattern: "(" }, c: { $ref: "#/$defs/missing" } },
        anyOf: [],
        minLength: -1,
      },
      "/output",
    );
    expect(problems.map((problem) => problem.pointer)).toEqual([
      "/output/if",
      "/output/properties/a/type",
      "/output/properties/b/pattern",
      "/output/properties/c/$ref",
      "/output/anyOf",
      "/output/minLength",
    ]);
    expect(jsonSchemaProblems("string")[0]?.message).toContain("must be a JSON Schema");
  });

  it("stops after JSON_SCHEMA_MAX_PROBLEMS problems and says the rest was not checked", () => {
    const hostile = Object.fromEntries(Array.from({ length: 40_000 }, (_, index) => [`k${index}`, 1]));
    const problems = jsonSchemaProblems({ type: "object", ...hostile }, "/output");
    expect(problems).toHaveLength(JSON_SCHEMA_MAX_PROBLEMS + 1);
    expect(problems[0]?.pointer).toBe("/output/k0");
    expect(problems.at(-1)).toEqual({
      pointer: "/output",
      keyword: "schema",
      message: `has more than ${JSON_SCHEMA_MAX_PROBLEMS} problems; the rest of the schema was not checked`,
    });
    // Under the bound nothing is summarised.
    expect(jsonSchemaProblems({ type: "object", k0: 1, k1: 2 })).toHaveLength(2);
  });

  it("ignores unknown keywords when not strict (tool schemas from elsewhere), but not malformed ones", () => {
    expect(jsonSchemaProblems({ type: "object", if: {} }, "", { strict: false })).toEqual([]);
    expect(jsonSchemaProblems({ type: 3 }, "", { strict: false })).toHaveLength(1);
  });

  it("refuses a schema nested deeper than the limit", () => {
    let schema: Record<string, unknown> = { type: "string" };
    for (let level = 0; level < 40; level++) schema = { items: schema };
    expect(jsonSchemaProblems(schema)[0]?.message).toContain("nests deeper");
  });
});
