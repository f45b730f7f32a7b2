import { TemplateValidationError, type ValidationIssue } from "../errors/template-validation-error.js";
import { isJsonSchemaKeyword, unsupportedKeywordIssue } from "../tools/json-schema-subset.js";
import { formatPointer } from "./json-pointer.js";
import type { StrictJsonGuide } from "./parse-guide.js";
import { type ArrayRule, type ObjectRule, type RecordRule, type SchemaRule, TEMPLATE_RULE } from "./schema-rules.js";
import { declaredRules, expectedKeys, MAX_LISTED_ISSUES, unknownKeyIssue } from "./unknown-key.js";

/**
 * Where a value stands inside an `output` JSON Schema: a schema, an object of schemas
 * (`properties`, `$defs`) or an array of schemas (`anyOf`, `prefixItems`, …).
 */
interface SchemaPosition {
  readonly type: "schema-position";
  readonly holds: "schema" | "schemas-by-name" | "schema-list";
}
const SCHEMA: SchemaPosition = { type: "schema-position", holds: "schema" };
const SCHEMAS_BY_NAME: SchemaPosition = { type: "schema-position", holds: "schemas-by-name" };
const SCHEMA_LIST: SchemaPosition = { type: "schema-position", holds: "schema-list" };

/** What the guide tracks per value: the template's rule, or a position in an `output` schema. */
type GuideNode = SchemaRule | SchemaPosition | undefined;

/** The position of the value of `keyword` in a schema object; `undefined` where nothing below is a schema. */
function schemaKeywordValue(keyword: string): SchemaPosition | undefined {
  switch (keyword) {
    case "properties":
    case "$defs":
    case "definitions":
      return SCHEMAS_BY_NAME;
    case "items":
    case "additionalProperties":
    case "not":
      return SCHEMA;
    case "anyOf":
    case "oneOf":
    case "allOf":
    case "prefixItems":
      return SCHEMA_LIST;
    default:
      return undefined;
  }
}

/** An unknown key seen while parsing, kept to be reported if the parse is stopped. */
interface UnknownKey {
  readonly rule: ObjectRule;
  readonly key: string;
  readonly pointer: string;
}

/**
 * A parse guide that follows the template schema, so `parseTemplate` stops reading a template
 * as soon as the schema refuses it for its size rather than after building all of it: at the
 * 101st key no rule declares (the first 100 are listed, with "did you mean"), at the item past an
 * array's `maxItems` and at the member past a record's `maxProperties`. Below those counts it
 * refuses nothing: validation then reports every problem, as before. Inside `output` (a JSON
 * Schema) it follows the schema's own keywords and stops at the 101st keyword the subset does
 * not support. One guide serves one parse.
 *
 * @param location - File path (or label) for the error, like `parseTemplate`'s.
 * @example
 * ```ts
 * const value = parseStrictJson(text, { maxDepth: 32, guide: templateGuide("auditor.json") });
 * ```
 */
export function templateGuide(location: string | undefined): StrictJsonGuide<GuideNode> {
  return new TemplateGuide(location);
}

class TemplateGuide implements StrictJsonGuide<GuideNode> {
  readonly root: SchemaRule = TEMPLATE_RULE;
  private readonly unknown: UnknownKey[] = [];
  private readonly unsupported: ValidationIssue[] = [];

  constructor(private readonly location: string | undefined) {}

  member(node: GuideNode, key: string, index: number, path: readonly (string | number)[]): GuideNode {
    if (node?.type === "schema-position" || node?.type === "jsonSchema") return this.schemaMember(node, key, path);
    const rule = node?.type === "union" ? node.variants.find((variant) => variant.type === "object") : node;
    if (rule === undefined) return undefined;
    if (rule.type === "object") {
      const keyRule = declaredRules(rule).get(key);
      if (keyRule === undefined) this.noteUnknown(rule, key, path);
      return keyRule;
    }
    if (rule.type === "record") {
      if (index >= rule.maxProperties) this.stop(tooManyMembers(rule, path));
      return rule.values;
    }
    // Any other rule refuses an object by its type: validation says so, nothing below is guided.
    return undefined;
  }

  item(node: GuideNode, index: number, path: readonly (string | number)[]): GuideNode {
    if (node?.type === "schema-position") return node.holds === "schema-list" ? SCHEMA : undefined;
    const rule = node?.type === "union" ? node.variants.find((variant) => variant.type === "array") : node;
    if (rule?.type !== "array") return undefined;
    if (index >= rule.maxItems) this.stop(tooManyItems(rule, path));
    return rule.items;
  }

  /**
   * A member of an object inside `output`: keywords of a schema are followed, names under
   * `properties`/`$defs` lead to schemas, and past 100 unsupported keywords the parse stops
   * (validation would refuse each of them; `jsonSchemaProblems` lists the same issue).
   */
  private schemaMember(node: SchemaPosition | SchemaRule, key: string, path: readonly (string | number)[]): GuideNode {
    if (node.type === "schema-position" && node.holds !== "schema")
      return node.holds === "schemas-by-name" ? SCHEMA : undefined;
    if (isJsonSchemaKeyword(key)) return schemaKeywordValue(key);
    if (this.unsupported.length < MAX_LISTED_ISSUES) {
      this.unsupported.push(unsupportedKeywordIssue(formatPointer(path), key));
      return undefined;
    }
    return this.stop({
      pointer: formatPointer(path.slice(0, -1)),
      keyword: "schema",
      message: `has more than ${MAX_LISTED_ISSUES} unsupported JSON Schema keywords; the rest of the template was not read`,
    });
  }

  private noteUnknown(rule: ObjectRule, key: string, path: readonly (string | number)[]): void {
    if (this.unknown.length < MAX_LISTED_ISSUES) {
      this.unknown.push({ rule, key, pointer: formatPointer(path) });
      return;
    }
    this.stop({
      pointer: formatPointer(path.slice(0, -1)),
      keyword: "additionalProperties",
      message: `has more than ${MAX_LISTED_ISSUES} unknown properties; the rest of the template was not read`,
      expected: expectedKeys(rule),
    });
  }

  /** Refuses the template with the unknown keys seen so far and `last`. */
  private stop(last: ValidationIssue): never {
    const issues = this.unknown.map(({ rule, key, pointer }) => unknownKeyIssue(rule, key, pointer));
    issues.push(...this.unsupported.slice(0, Math.max(0, MAX_LISTED_ISSUES - issues.length)), last);
    throw new TemplateValidationError(issues, { location: this.location });
  }
}

function tooManyItems(rule: ArrayRule, path: readonly (string | number)[]): ValidationIssue {
  return { ...tooMany("maxItems", rule.maxItems, "items", path), expected: `at most ${rule.maxItems} items` };
}

function tooManyMembers(rule: RecordRule, path: readonly (string | number)[]): ValidationIssue {
  return tooMany("maxProperties", rule.maxProperties, "properties", path);
}

/** The issue that stops a parse at the entry past `max`, pointing at its container. */
function tooMany(keyword: string, max: number, noun: string, path: readonly (string | number)[]): ValidationIssue {
  return {
    pointer: formatPointer(path.slice(0, -1)),
    keyword,
    message: `must have at most ${max} ${noun}; the rest of the template was not read`,
    actual: `more than ${max} ${noun}`,
  };
}
