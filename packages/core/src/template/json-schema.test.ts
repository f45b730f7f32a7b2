import { existsSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { templateJsonSchema } from "./json-schema.js";
import { parseTemplate } from "./parse-template.js";
import { resolveTemplate } from "./resolve-template.js";
import { BUILTIN_ROLES, type SchemaRule, TEMPLATE_RULE, TEMPLATE_TIERS } from "./schema-rules.js";
import type { AgentTemplate } from "./types.js";
import { validateTemplate } from "./validate-template.js";

const schemaPath = fileURLToPath(new URL("../../schema/agent-template.v1.json", import.meta.url));
const examplesDir = fileURLToPath(new URL("../../../../examples/templates/", import.meta.url));

if (process.env.UPDATE_TEMPLATE_SCHEMA === "1") {
  writeFileSync(schemaPath, `${JSON.stringify(templateJsonSchema(), null, 2)}\n`);
}
const shipped = JSON.parse(readFileSync(schemaPath, "utf8")) as Record<string, unknown>;

type SchemaNode = Record<string, unknown>;

/** Walks the validator's rules and the shipped schema side by side. */
function compare(rule: SchemaRule, node: SchemaNode, pointer: string): void {
  const types = ([] as unknown[]).concat(node.type ?? []);
  if (rule.type === "const") {
    expect(node.const, pointer).toBe(rule.value);
    return;
  }
  if (rule.type === "union") {
    const variants = node.anyOf as SchemaNode[];
    expect(variants.length, `${pointer} anyOf`).toBe(rule.variants.length + (rule.nullable === true ? 1 : 0));
    rule.variants.forEach((variant, index) => {
      compare(variant, variants[index]!, `${pointer}/anyOf/${index}`);
    });
    return;
  }
  if (rule.type === "jsonSchema") {
    expect(types, `${pointer} type`).toEqual(["object", "boolean", ...(rule.nullable === true ? ["null"] : [])]);
    return;
  }
  if (rule.type === "record") {
    expect(types, `${pointer} type`).toEqual(rule.nullable === true ? ["object", "null"] : ["object"]);
    expect((node.propertyNames as SchemaNode).pattern, `${pointer} propertyNames`).toBe(rule.keyPattern);
    expect(node.maxProperties, `${pointer} maxProperties`).toBe(rule.maxProperties);
    compare(rule.values, node.additionalProperties as SchemaNode, `${pointer}/additionalProperties`);
    return;
  }
  expect(types, `${pointer} type`).toEqual(rule.nullable === true ? [rule.type, "null"] : [rule.type]);
  if (rule.type === "string") {
    expect(node.pattern, `${pointer} pattern`).toBe(rule.pattern);
    expect(node.enum, `${pointer} enum`).toEqual(
      rule.enum === undefined ? undefined : [...rule.enum, ...(rule.nullable ? [null] : [])],
    );
    expect([node.minLength, node.maxLength], `${pointer} length`).toEqual([rule.minLength, rule.maxLength]);
  } else if (rule.type === "number" || rule.type === "integer") {
    expect([node.minimum, node.maximum], `${pointer} range`).toEqual([rule.minimum, rule.maximum]);
  } else if (rule.type === "array") {
    expect([node.maxItems, node.uniqueItems], `${pointer} array`).toEqual([rule.maxItems, rule.uniqueItems]);
    compare(rule.items, node.items as SchemaNode, `${pointer}/items`);
  } else if (rule.type === "object") {
    const properties = node.properties as Record<string, SchemaNode>;
    expect(Object.keys(properties), `${pointer} property names`).toEqual(Object.keys(rule.properties));
    expect(node.additionalProperties, `${pointer} additionalProperties`).toBe(false);
    expect(node.required, `${pointer} required`).toEqual(rule.required);
    for (const [key, child] of Object.entries(rule.properties)) compare(child, properties[key]!, `${pointer}/${key}`);
  }
}

/** A minimal JSON Schema evaluator for the keywords the template schema uses, to test the two agree. */
function schemaAccepts(node: SchemaNode, value: unknown): boolean {
  if ("const" in node) return value === node.const;
  if (Array.isArray(node.anyOf)) return (node.anyOf as SchemaNode[]).some((variant) => schemaAccepts(variant, value));
  if ("not" in node && schemaAccepts(node.not as SchemaNode, value)) return false;
  if ("if" in node && schemaAccepts(node.if as SchemaNode, value) && !schemaAccepts(node.then as SchemaNode, value))
    return false;
  if (node.type === undefined && node.enum === undefined) {
    // An applicator-only node (if/then/not, or a bare required list): no type of its own.
    if (typeof value !== "object" || value === null || Array.isArray(value)) return true;
    const record = value as Record<string, unknown>;
    if (((node.required as string[] | undefined) ?? []).some((key) => !Object.hasOwn(record, key))) return false;
    const properties = (node.properties as Record<string, SchemaNode> | undefined) ?? {};
    return Object.entries(properties).every(
      ([key, child]) => !Object.hasOwn(record, key) || schemaAccepts(child, record[key]),
    );
  }
  const types = ([] as unknown[]).concat(node.type ?? []);
  const typeOf =
    value === null ? "null" : Array.isArray(value) ? "array" : typeof value === "object" ? "object" : typeof value;
  const typeOk = types.some((type) => type === typeOf || (type === "integer" && Number.isInteger(value)));
  if (!typeOk) return false;
  if (Array.isArray(node.enum) && !node.enum.includes(value)) return false;
  if (typeof value === "string") {
    const length = [...value].length;
    if (typeof node.minLength === "number" && length < node.minLength) return false;
    if (typeof node.maxLength === "number" && length > node.maxLength) return false;
    if (typeof node.pattern === "string" && !new RegExp(node.pattern, "u").test(value)) return false;
  }
  if (typeof value === "number") {
    if (typeof node.minimum === "number" && value < node.minimum) return false;
    if (typeof node.maximum === "number" && value > node.maximum) return false;
  }
  if (Array.isArray(value)) {
    if (typeof node.maxItems === "number" && value.length > node.maxItems) return false;
    if (node.uniqueItems === true && new Set(value.map((item) => JSON.stringify(item))).size !== value.length)
      return false;
    if (!value.every((item) => schemaAccepts(node.items as SchemaNode, item))) return false;
  }
  if (typeOf === "object") {
    const record = value as Record<string, unknown>;
    if (node.properties === undefined) {
      // A record (toolPins) or a JSON Schema value (output).
      if (typeof node.maxProperties === "number" && Object.keys(record).length > node.maxProperties) return false;
      const keyPattern = (node.propertyNames as SchemaNode | undefined)?.pattern;
      for (const [key, item] of Object.entries(record)) {
        if (typeof keyPattern === "string" && !new RegExp(keyPattern, "u").test(key)) return false;
        if (node.additionalProperties !== undefined && !schemaAccepts(node.additionalProperties as SchemaNode, item))
          return false;
      }
      return true;
    }
    const properties = node.properties as Record<string, SchemaNode>;
    if (((node.required as string[] | undefined) ?? []).some((key) => !Object.hasOwn(record, key))) return false;
    for (const [key, item] of Object.entries(record)) {
      if (!Object.hasOwn(properties, key)) return false;
      if (!schemaAccepts(properties[key]!, item)) return false;
    }
  }
  return true;
}

describe("JSON Schema (schema/agent-template.v1.json)", () => {
  it("is the document generated from the validator's rules (UPDATE_TEMPLATE_SCHEMA=1 regenerates it)", () => {
    expect(shipped).toEqual(templateJsonSchema());
    expect(shipped.$schema).toBe("https://json-schema.org/draft/2020-12/schema");
  });

  it("has the validator's property names, types, patterns, enums and limits at every level", () => {
    compare(TEMPLATE_RULE, shipped, "#");
    const properties = shipped.properties as Record<string, SchemaNode>;
    expect((properties.role as SchemaNode).examples).toEqual(BUILTIN_ROLES);
    const metadata = (properties.metadata as SchemaNode).properties as Record<string, SchemaNode>;
    expect((metadata.tier as SchemaNode).enum).toEqual([...TEMPLATE_TIERS, null]);
  });

  it("accepts and refuses the same values as validateTemplate", () => {
    const word = fc.constantFrom(
      "a",
      "qa/tester",
      "Qa/x",
      "a/b/c",
      "-a/b",
      "1.0.0",
      "1.0",
      "1.0.0-rc.1",
      "01.0.0",
      "",
      "é😂",
      "x".repeat(70),
    );
    const anything = fc.oneof(
      word,
      fc.integer({ min: -3, max: 12 }),
      fc.double({ min: -1, max: 3, noNaN: true }),
      fc.constant(null),
      fc.boolean(),
    );
    // Mostly plausible values, sometimes anything: both valid and invalid templates come out
    // (with 17 fields, a weight of 12 left about 20 valid ones in 3,000 runs (now 40–60), and the check below flaked).
    const mostly = <T>(plausible: fc.Arbitrary<T>): fc.Arbitrary<unknown> =>
      fc.oneof({ arbitrary: plausible, weight: 30 }, { arbitrary: anything, weight: 1 });
    const text = fc.constantFrom("Security Auditor", "x", "é😂".repeat(3));
    const names = fc.array(fc.constantFrom("scan", "read-file", "a.b_c", "-bad", "scan"), { maxLength: 3 });
    const template = fc
      .record(
        {
          schemaVersion: mostly(fc.constant(1)),
          id: mostly(fc.constantFrom("qa/tester", "security/auditor", "a/b")),
          version: mostly(fc.constantFrom("1.0.0", "2.0.0-rc.1+build.7")),
          extends: mostly(fc.constant("base/specialist")),
          name: mostly(fc.oneof(text, fc.constant(null))),
          role: mostly(fc.constantFrom(...BUILTIN_ROLES, "reviewer", "Reviewer")),
          description: mostly(text),
          capabilities: mostly(names),
          tools: mostly(
            fc.array(fc.constantFrom("scan", "github/search", "read-file", "gh/a.b", "scan", "a/b/c", "/x"), {
              maxLength: 2,
            }),
          ),
          instructions: mostly(
            fc.oneof(
              fc.constantFrom("Be brief.", "Be kind.", ""),
              fc.array(fc.constantFrom("Rule one.", "Rule two.", "Rule three.", ""), { maxLength: 2 }),
            ),
          ),
          agents: mostly(fc.array(fc.constantFrom("qa/tester", "a/b", "qa/tester", "Qa/x"), { maxLength: 2 })),
          toolPins: mostly(
            fc.dictionary(
              fc.constantFrom("scan", "github/search", "a/b/c"),
              fc.constantFrom(`sha256:${"a".repeat(64)}`, `sha256:${"b".repeat(64)}`, "sha256:x"),
              {
                maxKeys: 2,
              },
            ),
          ),
          output: mostly(fc.constantFrom({ type: "object" }, true, { type: "string", minLength: 1 })),
          config: mostly(
            fc.record(
              {
                temperature: mostly(fc.double({ min: 0, max: 2.5, noNaN: true })),
                maxRetries: mostly(fc.integer({ min: 0, max: 11 })),
                timeoutMs: mostly(fc.integer({ min: 0, max: 100_000 })),
                model: mostly(fc.constant("gpt-4o")),
                maxSteps: mostly(fc.integer({ min: 0, max: 101 })),
              },
              { requiredKeys: [] },
            ),
          ),
          metadata: mostly(
            fc.record(
              {
                tier: fc.constantFrom(...TEMPLATE_TIERS, "prod", null),
                tags: fc.array(fc.constantFrom("a", "b", ""), { maxLength: 2 }),
              },
              { requiredKeys: [] },
            ),
          ),
          signatures: mostly(
            fc.array(fc.record({ protected: fc.constantFrom("eyJh", "a=b"), signature: fc.constant("c2ln") }), {
              maxLength: 2,
            }),
          ),
        },
        { requiredKeys: [] },
      )
      .chain((value) =>
        fc.oneof(
          { arbitrary: fc.constant(value), weight: 9 },
          { arbitrary: fc.constant({ ...value, capabilites: [] }), weight: 1 },
        ),
      );
    const outcomes = { valid: 0, invalid: 0 };
    fc.assert(
      fc.property(template, (value) => {
        // The schema also carries the factory's root rule (if/then): without extends, name,
        // role and description must be set, and not to null (resolveTemplate refuses otherwise).
        const rootComplete =
          value.extends !== undefined ||
          (["name", "role", "description"] as const).every((key) => value[key] !== undefined && value[key] !== null);
        const valid = validateTemplate(value).valid && rootComplete;
        outcomes[valid ? "valid" : "invalid"]++;
        expect(valid).toBe(schemaAccepts(shipped, value));
      }),
      { numRuns: 3000 },
    );
    // Both sides of the boundary were exercised, so the agreement means something.
    expect(outcomes.valid).toBeGreaterThan(20);
    expect(outcomes.invalid).toBeGreaterThan(20);
  });
});

describe("sample templates in examples/templates", () => {
  const files: string[] = [];
  const walk = (dir: string): void => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      if (entry.isDirectory()) walk(join(dir, entry.name));
      else if (entry.name.endsWith(".json")) files.push(join(dir, entry.name));
    }
  };
  if (existsSync(examplesDir)) walk(examplesDir);

  it.skipIf(files.length === 0)("every sample parses, validates and resolves", async () => {
    const templates = files.map((file) => parseTemplate(readFileSync(file), { location: file }));
    const latest = new Map<string, AgentTemplate>();
    for (const template of templates) latest.set(template.id, template);
    for (const template of templates) {
      const resolved = await resolveTemplate(template, (id) => latest.get(id));
      expect(resolved.id).toBe(template.id);
    }
  });
});
