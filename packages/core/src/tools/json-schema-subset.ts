import type { ValidationIssue } from "../errors/template-validation-error.js";
import { childPointer } from "../template/json-pointer.js";
import type { JsonSchema } from "./tool-definition.js";

/**
 * The JSON Schema 2020-12 subset core enforces, for a template's `output` and a tool's
 * `inputSchema`. Small and bounded on purpose: every keyword here is checked, and a
 * schema using any other assertion keyword is refused by {@link jsonSchemaProblems}
 * rather than silently ignored (a signed template must never promise a check nobody runs).
 */
const ASSERTIONS: ReadonlySet<string> = new Set([
  "type",
  "enum",
  "const",
  "properties",
  "required",
  "additionalProperties",
  "items",
  "prefixItems",
  "minItems",
  "maxItems",
  "uniqueItems",
  "minProperties",
  "maxProperties",
  "minLength",
  "maxLength",
  "pattern",
  "minimum",
  "maximum",
  "exclusiveMinimum",
  "exclusiveMaximum",
  "multipleOf",
  "anyOf",
  "oneOf",
  "allOf",
  "not",
  "$ref",
  "$defs",
  "definitions",
]);
/** Keywords that annotate and assert nothing (`format` is an annotation in 2020-12 by default). */
const ANNOTATIONS: ReadonlySet<string> = new Set([
  "$schema",
  "$id",
  "$comment",
  "$anchor",
  "title",
  "description",
  "default",
  "examples",
  "deprecated",
  "readOnly",
  "writeOnly",
  "format",
  "contentMediaType",
  "contentEncoding",
]);
const TYPES: ReadonlySet<string> = new Set(["null", "boolean", "object", "array", "number", "integer", "string"]);
// Built once: a hostile schema can name tens of thousands of unsupported keywords.
const SUPPORTED_LIST = [...ASSERTIONS].join(", ");
const TYPE_LIST = [...TYPES].join(", ");

/**
 * Whether `keyword` is one core's JSON Schema subset knows (an assertion it checks or an
 * annotation it ignores). A template's parse guide uses it to stop reading an `output`
 * schema of tens of thousands of unsupported keywords.
 * @internal
 */
export function isJsonSchemaKeyword(keyword: string): boolean {
  return ASSERTIONS.has(keyword) || ANNOTATIONS.has(keyword);
}

/**
 * The issue for an unsupported keyword at `pointer` (the same one {@link jsonSchemaProblems} reports).
 * @internal
 */
export function unsupportedKeywordIssue(pointer: string, keyword: string): ValidationIssue {
  return {
    pointer,
    keyword: "keyword",
    message: `unsupported JSON Schema keyword "${keyword}" (supported: ${SUPPORTED_LIST})`,
  };
}

/** Deepest schema nesting accepted, and deepest value walked. */
export const JSON_SCHEMA_MAX_DEPTH = 32;
/** Most issues reported for one value (the rest are summarised). */
const MAX_ISSUES = 50;
/** Most problems reported for one schema: past them the walk stops and one issue says so. */
export const JSON_SCHEMA_MAX_PROBLEMS = 100;
/** Longest `$ref` chain followed without reaching a non-reference schema. */
const MAX_REF_HOPS = 16;
/** Most schema evaluations for one value: bounds `anyOf`/`$ref` blow-ups on hostile input. */
const MAX_EVALUATIONS = 100_000;

type Schema = Readonly<Record<string, unknown>> | boolean;

/**
 * Problems with `schema` itself: not an object or boolean, an unsupported keyword, a
 * malformed keyword value, an unresolvable `$ref`, too deep. Empty when `schema` is
 * usable. Each issue's pointer is relative to `pointer` (`/output` for a template).
 * Bounded: after 100 problems the walk stops and a last issue says the rest was not
 * checked, so a hostile schema of tens of thousands of bad keywords costs what 100 do.
 *
 * @example
 * ```ts
 * import { jsonSchemaProblems } from "@nextgen/core";
 *
 * jsonSchemaProblems({ type: "object", if: {} }); // [{ pointer: "/if", keyword: "keyword", … }]
 * ```
 */
export function jsonSchemaProblems(schema: unknown, pointer = "", options?: { strict?: boolean }): ValidationIssue[] {
  const issues: ValidationIssue[] = [];
  checkSchema(schema, pointer, 0, issues, options?.strict !== false, schema);
  if (issues.length >= JSON_SCHEMA_MAX_PROBLEMS) {
    issues.push({
      pointer,
      keyword: "schema",
      message: `has more than ${JSON_SCHEMA_MAX_PROBLEMS} problems; the rest of the schema was not checked`,
    });
  }
  return issues;
}

function checkSchema(
  schema: unknown,
  pointer: string,
  depth: number,
  issues: ValidationIssue[],
  strict: boolean,
  root: unknown,
): void {
  if (typeof schema === "boolean") return;
  if (!isObject(schema)) {
    issues.push({ pointer, keyword: "schema", message: "must be a JSON Schema (an object or a boolean)" });
    return;
  }
  if (depth > JSON_SCHEMA_MAX_DEPTH) {
    issues.push({ pointer, keyword: "schema", message: `nests deeper than ${JSON_SCHEMA_MAX_DEPTH} levels` });
    return;
  }
  for (const [keyword, value] of Object.entries(schema)) {
    if (issues.length >= JSON_SCHEMA_MAX_PROBLEMS) return;
    if (ANNOTATIONS.has(keyword)) continue;
    const at = childPointer(pointer, keyword);
    if (!ASSERTIONS.has(keyword)) {
      if (strict) issues.push(unsupportedKeywordIssue(at, keyword));
      continue;
    }
    const bad = (expected: string): void => {
      issues.push({ pointer: at, keyword: "keyword", message: `"${keyword}" must be ${expected}` });
    };
    switch (keyword) {
      case "type": {
        const names = Array.isArray(value) ? value : [value];
        if (names.length === 0 || !names.every((name) => typeof name === "string" && TYPES.has(name))) {
          bad(`one of ${TYPE_LIST}, or an array of them`);
        }
        break;
      }
      case "enum":
        if (!Array.isArray(value)) bad("an array");
        break;
      case "required":
        if (!Array.isArray(value) || !value.every((name) => typeof name === "string")) bad("an array of strings");
        break;
      case "properties":
      case "$defs":
      case "definitions":
        if (!isObject(value)) bad("an object of schemas");
        else {
          for (const [name, child] of Object.entries(value)) {
            checkSchema(child, childPointer(at, name), depth + 1, issues, strict, root);
          }
        }
        break;
      case "additionalProperties":
      case "items":
      case "not":
        checkSchema(value, at, depth + 1, issues, strict, root);
        break;
      case "prefixItems":
      case "anyOf":
      case "oneOf":
      case "allOf":
        if (!Array.isArray(value) || value.length === 0) bad("a non-empty array of schemas");
        else {
          value.forEach((child, index) => {
            checkSchema(child, childPointer(at, index), depth + 1, issues, strict, root);
          });
        }
        break;
      case "pattern":
        if (typeof value !== "string") bad("a string");
        else {
          try {
            new RegExp(value, "u");
          } catch {
            bad("a valid ECMA-262 regular expression");
          }
        }
        break;
      case "$ref":
        if (typeof value !== "string" || resolveRef(root, value) === undefined) {
          bad('a local reference ("#", "#/$defs/<name>") to a schema in the same document');
        }
        break;
      case "const":
        break;
      case "uniqueItems":
        if (typeof value !== "boolean") bad("a boolean");
        break;
      case "multipleOf":
        if (typeof value !== "number" || !(value > 0)) bad("a number > 0");
        break;
      default:
        // minimum, maximum, exclusive*, min/max Items/Properties/Length
        if (typeof value !== "number" || !Number.isFinite(value)) bad("a number");
        else if (keyword.startsWith("min") || keyword.startsWith("max")) {
          if (keyword.endsWith("Items") || keyword.endsWith("Properties") || keyword.endsWith("Length")) {
            if (!Number.isSafeInteger(value) || value < 0) bad("a non-negative integer");
          }
        }
    }
  }
}

/**
 * Checks `value` against `schema` (the subset above; unknown keywords are ignored here,
 * {@link jsonSchemaProblems} is where they are refused). Returns every problem found, up
 * to 50, each with a JSON pointer into `value`. Bounded: depth, `$ref` hops and total
 * evaluations are capped, so hostile input cannot hang it.
 *
 * @example
 * ```ts
 * import { jsonSchemaIssues } from "@nextgen/core";
 *
 * jsonSchemaIssues({ type: "object", required: ["path"] }, {}); // [{ pointer: "/path", keyword: "required", … }]
 * ```
 */
export function jsonSchemaIssues(schema: JsonSchema, value: unknown): ValidationIssue[] {
  const state: State = { root: schema, issues: [], evaluations: 0 };
  evaluate(schema, value, "", 0, state);
  if (state.evaluations > MAX_EVALUATIONS) {
    // Past the budget nothing counts as valid: refuse rather than accept unchecked.
    state.issues.unshift({
      pointer: "",
      keyword: "schema",
      message: "is too costly to validate (evaluation limit reached)",
    });
  }
  if (state.issues.length > MAX_ISSUES) {
    const more = state.issues.length - MAX_ISSUES;
    state.issues.length = MAX_ISSUES;
    state.issues.push({ pointer: "", keyword: "schema", message: `and ${more} more problem(s)` });
  }
  return state.issues;
}

interface State {
  readonly root: unknown;
  issues: ValidationIssue[];
  evaluations: number;
}

function evaluate(schema: unknown, value: unknown, pointer: string, depth: number, state: State): void {
  if (++state.evaluations > MAX_EVALUATIONS) {
    if (state.evaluations === MAX_EVALUATIONS + 1) {
      state.issues.push({
        pointer,
        keyword: "schema",
        message: "is too costly to validate (evaluation limit reached)",
      });
    }
    return;
  }
  let current = schema;
  for (let hops = 0; isObject(current) && typeof current.$ref === "string"; hops++) {
    const target = hops < MAX_REF_HOPS ? resolveRef(state.root, current.$ref) : undefined;
    if (target === undefined) {
      state.issues.push({ pointer, keyword: "$ref", message: `cannot resolve $ref "${current.$ref}"` });
      return;
    }
    // Sibling keywords of $ref apply too (2020-12): check them, then follow the reference.
    const { $ref: _ref, ...siblings } = current;
    if (Object.keys(siblings).length > 0) evaluate(siblings, value, pointer, depth, state);
    current = target;
  }
  if (current === true) return;
  if (current === false || !isObject(current)) {
    state.issues.push({ pointer, keyword: "false", message: "no value is allowed here" });
    return;
  }
  if (depth > JSON_SCHEMA_MAX_DEPTH) {
    state.issues.push({ pointer, keyword: "depth", message: `nests deeper than ${JSON_SCHEMA_MAX_DEPTH} levels` });
    return;
  }
  const s = current;
  const push = (keyword: string, message: string, at = pointer): void => {
    state.issues.push({ pointer: at, keyword, message, actual: describeValue(value) });
  };
  if (s.type !== undefined) {
    const names = (Array.isArray(s.type) ? s.type : [s.type]) as string[];
    if (!names.some((name) => hasType(value, name))) {
      push("type", `must be ${names.join(" or ")}`);
      return;
    }
  }
  if (s.const !== undefined && !jsonEqual(s.const, value)) push("const", `must be ${JSON.stringify(s.const)}`);
  if (Array.isArray(s.enum) && !s.enum.some((item) => jsonEqual(item, value))) {
    push("enum", `must be one of ${s.enum.map((item) => JSON.stringify(item)).join(", ")}`);
  }
  if (typeof value === "string") checkString(s, value, push);
  else if (typeof value === "number") checkNumber(s, value, push);
  else if (Array.isArray(value)) checkArray(s, value, pointer, depth, state, push);
  else if (isObject(value)) checkObject(s, value, pointer, depth, state, push);
  if (Array.isArray(s.allOf)) for (const part of s.allOf) evaluate(part, value, pointer, depth + 1, state);
  if (Array.isArray(s.anyOf) && !s.anyOf.some((part) => passes(part, value, depth, state))) {
    push("anyOf", "must match at least one schema of anyOf");
  }
  if (Array.isArray(s.oneOf)) {
    const matches = s.oneOf.filter((part) => passes(part, value, depth, state)).length;
    if (matches !== 1) push("oneOf", `must match exactly one schema of oneOf (matched ${matches})`);
  }
  if (s.not !== undefined && passes(s.not, value, depth, state)) push("not", "must not match the schema of not");
}

function passes(schema: unknown, value: unknown, depth: number, state: State): boolean {
  const outer = state.issues;
  state.issues = [];
  evaluate(schema, value, "", depth + 1, state);
  const ok = state.issues.length === 0 && state.evaluations <= MAX_EVALUATIONS;
  state.issues = outer;
  return ok;
}

type Push = (keyword: string, message: string, at?: string) => void;

function checkString(s: Readonly<Record<string, unknown>>, value: string, push: Push): void {
  const length = [...value].length;
  if (typeof s.minLength === "number" && length < s.minLength)
    push("minLength", `must have at least ${s.minLength} characters`);
  if (typeof s.maxLength === "number" && length > s.maxLength)
    push("maxLength", `must have at most ${s.maxLength} characters`);
  if (typeof s.pattern === "string" && !compile(s.pattern).test(value)) push("pattern", `must match ${s.pattern}`);
}

function checkNumber(s: Readonly<Record<string, unknown>>, value: number, push: Push): void {
  if (typeof s.minimum === "number" && value < s.minimum) push("minimum", `must be ≥ ${s.minimum}`);
  if (typeof s.maximum === "number" && value > s.maximum) push("maximum", `must be ≤ ${s.maximum}`);
  if (typeof s.exclusiveMinimum === "number" && value <= s.exclusiveMinimum) {
    push("exclusiveMinimum", `must be > ${s.exclusiveMinimum}`);
  }
  if (typeof s.exclusiveMaximum === "number" && value >= s.exclusiveMaximum) {
    push("exclusiveMaximum", `must be < ${s.exclusiveMaximum}`);
  }
  if (typeof s.multipleOf === "number" && s.multipleOf > 0) {
    const quotient = value / s.multipleOf;
    if (Math.abs(quotient - Math.round(quotient)) > 1e-9) push("multipleOf", `must be a multiple of ${s.multipleOf}`);
  }
}

function checkArray(
  s: Readonly<Record<string, unknown>>,
  value: readonly unknown[],
  pointer: string,
  depth: number,
  state: State,
  push: Push,
): void {
  if (typeof s.minItems === "number" && value.length < s.minItems)
    push("minItems", `must have at least ${s.minItems} items`);
  if (typeof s.maxItems === "number" && value.length > s.maxItems) {
    push("maxItems", `must have at most ${s.maxItems} items`);
    return;
  }
  const prefix = Array.isArray(s.prefixItems) ? s.prefixItems : [];
  value.forEach((item, index) => {
    const itemSchema = index < prefix.length ? prefix[index] : s.items;
    if (itemSchema !== undefined) evaluate(itemSchema, item, childPointer(pointer, index), depth + 1, state);
  });
  if (s.uniqueItems === true) {
    const seen = new Set<string>();
    value.forEach((item, index) => {
      const key = stableKey(item, depth);
      if (seen.has(key))
        push("uniqueItems", "duplicates an earlier item; items must be unique", childPointer(pointer, index));
      seen.add(key);
    });
  }
}

function checkObject(
  s: Readonly<Record<string, unknown>>,
  value: Readonly<Record<string, unknown>>,
  pointer: string,
  depth: number,
  state: State,
  push: Push,
): void {
  const keys = Object.keys(value);
  if (typeof s.minProperties === "number" && keys.length < s.minProperties) {
    push("minProperties", `must have at least ${s.minProperties} properties`);
  }
  if (typeof s.maxProperties === "number" && keys.length > s.maxProperties) {
    push("maxProperties", `must have at most ${s.maxProperties} properties`);
    return;
  }
  if (Array.isArray(s.required)) {
    for (const name of s.required as string[]) {
      if (!Object.hasOwn(value, name))
        push("required", `missing required property "${name}"`, childPointer(pointer, name));
    }
  }
  const properties = isObject(s.properties) ? s.properties : {};
  for (const key of keys) {
    const at = childPointer(pointer, key);
    if (Object.hasOwn(properties, key)) evaluate(properties[key], value[key], at, depth + 1, state);
    else if (s.additionalProperties === false) push("additionalProperties", `unknown property "${key}"`, at);
    else if (s.additionalProperties !== undefined) evaluate(s.additionalProperties, value[key], at, depth + 1, state);
  }
}

function hasType(value: unknown, name: string): boolean {
  switch (name) {
    case "null":
      return value === null;
    case "boolean":
      return typeof value === "boolean";
    case "string":
      return typeof value === "string";
    case "number":
      return typeof value === "number" && Number.isFinite(value);
    case "integer":
      return typeof value === "number" && Number.isInteger(value);
    case "array":
      return Array.isArray(value);
    case "object":
      return isObject(value);
    default:
      return false;
  }
}

/** Resolves `#`, `#/$defs/<name>` or `#/definitions/<name>` (RFC 6901 escapes) in `root`. */
function resolveRef(root: unknown, ref: string): Schema | undefined {
  if (ref === "#") return isObject(root) || typeof root === "boolean" ? (root as Schema) : undefined;
  if (!ref.startsWith("#/")) return undefined;
  let node: unknown = root;
  for (const raw of ref.slice(2).split("/")) {
    const segment = decodeURIComponent(raw).replaceAll("~1", "/").replaceAll("~0", "~");
    if (!isObject(node) || !Object.hasOwn(node, segment)) return undefined;
    node = node[segment];
  }
  return isObject(node) || typeof node === "boolean" ? (node as Schema) : undefined;
}

function isObject(value: unknown): value is Readonly<Record<string, unknown>> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function jsonEqual(a: unknown, b: unknown): boolean {
  return stableKey(a) === stableKey(b);
}

/** A key equal for JSON-equal values (object key order ignored). */
function stableKey(value: unknown, depth = 0): string {
  // Past the depth limit every value is distinct: never equal, never a deep recursion.
  if (depth > 2 * JSON_SCHEMA_MAX_DEPTH) return `#${++distinct}`;
  if (Array.isArray(value)) return `[${value.map((item) => stableKey(item, depth + 1)).join(",")}]`;
  if (isObject(value)) {
    return `{${Object.keys(value)
      .sort()
      .map((key) => `${JSON.stringify(key)}:${stableKey(value[key], depth + 1)}`)
      .join(",")}}`;
  }
  return JSON.stringify(value) ?? "undefined";
}
let distinct = 0;

const patterns = new Map<string, RegExp>();
function compile(pattern: string): RegExp {
  let regex = patterns.get(pattern);
  if (regex === undefined) {
    try {
      regex = new RegExp(pattern, "u");
    } catch {
      regex = /(?!)/u; // an invalid pattern matches nothing: refuse rather than accept
    }
    if (patterns.size > 1000) patterns.clear();
    patterns.set(pattern, regex);
  }
  return regex;
}

function describeValue(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return `array of ${value.length}`;
  if (typeof value === "string")
    return `string ${JSON.stringify(value.length > 40 ? `${value.slice(0, 37)}…` : value)}`;
  if (typeof value === "object") return "object";
  return `${typeof value} ${String(value)}`;
}
