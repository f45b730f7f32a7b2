import type { ValidationIssue } from "../errors/template-validation-error.js";
import { JSON_SCHEMA_MAX_PROBLEMS, jsonSchemaProblems } from "../tools/json-schema-subset.js";
import { didYouMean } from "./did-you-mean.js";
import { childPointer } from "./json-pointer.js";
import type { ArrayRule, ObjectRule, RecordRule, SchemaRule, StringRule, UnionRule } from "./schema-rules.js";
import { declaredRules, expectedKeys, MAX_LISTED_ISSUES, unknownKeyIssue } from "./unknown-key.js";

const compiledPatterns = new Map<string, RegExp>();

/** Checks `value` against `rule`, appending every problem (not only the first) to `issues`. */
export function checkRule(rule: SchemaRule, value: unknown, pointer: string, issues: ValidationIssue[]): void {
  if (value === null) {
    if (rule.nullable !== true) issues.push(typeIssue(pointer, expectedType(rule), value));
    return;
  }
  switch (rule.type) {
    case "const":
      if (value !== rule.value) {
        issues.push({
          pointer,
          keyword: "const",
          message: `must be ${rule.value}`,
          expected: String(rule.value),
          actual: describe(value),
        });
      }
      return;
    case "string":
      if (typeof value !== "string") issues.push(typeIssue(pointer, "string", value));
      else checkString(rule, value, pointer, issues);
      return;
    case "number":
    case "integer":
      if (typeof value !== "number" || !Number.isFinite(value)) {
        issues.push(typeIssue(pointer, rule.type, value));
      } else if (rule.type === "integer" && !Number.isSafeInteger(value)) {
        issues.push(typeIssue(pointer, "integer", value));
      } else if (rule.minimum !== undefined && value < rule.minimum) {
        issues.push(rangeIssue(pointer, "minimum", `must be ≥ ${rule.minimum}`, rule.minimum, rule.maximum, value));
      } else if (rule.maximum !== undefined && value > rule.maximum) {
        issues.push(rangeIssue(pointer, "maximum", `must be ≤ ${rule.maximum}`, rule.minimum, rule.maximum, value));
      }
      return;
    case "array":
      if (!Array.isArray(value)) issues.push(typeIssue(pointer, "array", value));
      else checkArray(rule, value, pointer, issues);
      return;
    case "object":
      if (!isPlainObject(value)) issues.push(typeIssue(pointer, "object", value));
      else checkObject(rule, value, pointer, issues);
      return;
    case "union":
      checkUnion(rule, value, pointer, issues);
      return;
    case "record":
      if (!isPlainObject(value)) issues.push(typeIssue(pointer, "object", value));
      else checkRecord(rule, value, pointer, issues);
      return;
    case "jsonSchema":
      if (typeof value !== "boolean" && !isPlainObject(value)) issues.push(typeIssue(pointer, "object", value));
      else listSchemaProblems(jsonSchemaProblems(value, pointer), pointer, issues);
      return;
  }
}

/**
 * Appends a JSON Schema's problems while the listed issues stay within
 * {@link MAX_LISTED_ISSUES}, and counts the rest in one issue: a hostile schema of tens of
 * thousands of unsupported keywords must not make an error of tens of thousands of lines.
 */
function listSchemaProblems(problems: readonly ValidationIssue[], pointer: string, issues: ValidationIssue[]): void {
  // jsonSchemaProblems stops after JSON_SCHEMA_MAX_PROBLEMS and ends with an issue saying so.
  const truncated = problems.length > JSON_SCHEMA_MAX_PROBLEMS;
  const found = truncated ? problems.length - 1 : problems.length;
  const room = Math.max(0, MAX_LISTED_ISSUES - issues.length);
  for (let index = 0; index < Math.min(room, found); index++) issues.push(problems[index]!);
  const unlisted = found - room;
  if (unlisted > 0 || truncated) {
    issues.push({
      pointer,
      keyword: "schema",
      message: truncated
        ? `has more JSON Schema problems than the ${Math.min(room, found)} listed; the rest of the schema was not checked`
        : `has ${unlisted} more JSON Schema problem${unlisted === 1 ? "" : "s"} (not listed)`,
    });
  }
}

function checkUnion(rule: UnionRule, value: unknown, pointer: string, issues: ValidationIssue[]): void {
  const variant = rule.variants.find((candidate) => jsonType(value) === candidate.type);
  if (variant === undefined) {
    issues.push(typeIssue(pointer, rule.variants.map((candidate) => candidate.type).join(" or "), value));
    return;
  }
  checkRule(variant, value, pointer, issues);
}

function jsonType(value: unknown): string {
  if (Array.isArray(value)) return "array";
  if (typeof value === "number") return Number.isInteger(value) ? "integer" : "number";
  return isPlainObject(value) ? "object" : typeof value;
}

function checkRecord(
  rule: RecordRule,
  value: Record<string, unknown>,
  pointer: string,
  issues: ValidationIssue[],
): void {
  const keys = Object.keys(value);
  if (keys.length > rule.maxProperties) {
    issues.push({
      pointer,
      keyword: "maxProperties",
      message: `must have at most ${rule.maxProperties} properties`,
      actual: `${keys.length} properties`,
    });
    return;
  }
  const keyPattern = compile(rule.keyPattern);
  for (const key of keys) {
    const at = childPointer(pointer, key);
    if (!keyPattern.test(key)) {
      issues.push({
        pointer: at,
        keyword: "propertyNames",
        message: `key must be ${rule.keyHint}`,
        actual: describe(key),
      });
      continue;
    }
    checkRule({ ...rule.values, nullable: false }, value[key], at, issues);
  }
}

function checkString(rule: StringRule, value: string, pointer: string, issues: ValidationIssue[]): void {
  if (rule.enum !== undefined) {
    if (!rule.enum.includes(value)) {
      const suggestion = didYouMean(value, rule.enum);
      issues.push({
        pointer,
        keyword: "enum",
        message: `must be one of ${rule.enum.join(", ")}`,
        expected: rule.enum.join(" | "),
        actual: describe(value),
        ...(suggestion === undefined ? {} : { suggestion }),
      });
    }
    return;
  }
  // JSON Schema counts code points, not UTF-16 units: a string of n units has between n/2 and n
  // code points, so they are counted only when the bounds cannot decide from n alone.
  const units = value.length;
  const decided =
    (rule.minLength === undefined || (units + 1) >> 1 >= rule.minLength) &&
    (rule.maxLength === undefined || units <= rule.maxLength);
  const length = decided ? units : codePointLength(value);
  if (rule.minLength !== undefined && length < rule.minLength) {
    issues.push({
      pointer,
      keyword: "minLength",
      message: rule.minLength === 1 ? "must not be empty" : `must have at least ${rule.minLength} characters`,
      expected: `at least ${rule.minLength} characters`,
      actual: describe(value),
    });
    return;
  }
  if (rule.maxLength !== undefined && length > rule.maxLength) {
    issues.push({
      pointer,
      keyword: "maxLength",
      message: `must have at most ${rule.maxLength} characters`,
      expected: `at most ${rule.maxLength} characters`,
      actual: `string of ${value.length} characters`,
    });
    return;
  }
  if (rule.pattern !== undefined && !compile(rule.pattern).test(value)) {
    const expected = rule.patternHint ?? `a string matching ${rule.pattern}`;
    issues.push({ pointer, keyword: "pattern", message: `must be ${expected}`, expected, actual: describe(value) });
  }
}

function checkArray(rule: ArrayRule, value: readonly unknown[], pointer: string, issues: ValidationIssue[]): void {
  if (value.length > rule.maxItems) {
    issues.push({
      pointer,
      keyword: "maxItems",
      message: `must have at most ${rule.maxItems} items`,
      expected: `at most ${rule.maxItems} items`,
      actual: `${value.length} items`,
    });
    return;
  }
  let seen: Map<string, number> | undefined;
  for (let index = 0; index < value.length; index++) {
    const item = value[index];
    const before = issues.length;
    // Array items are never removable: null there is a type error.
    checkChild(
      rule.items.nullable === true ? { ...rule.items, nullable: false } : rule.items,
      item,
      pointer,
      index,
      issues,
    );
    if (rule.uniqueItems === true && issues.length === before && typeof item === "string") {
      seen ??= new Map();
      const first = seen.get(item);
      if (first !== undefined) {
        issues.push({
          pointer: childPointer(pointer, index),
          keyword: "uniqueItems",
          message: `duplicates item ${first} ("${item}"); items must be unique`,
          actual: describe(item),
        });
      } else {
        seen.set(item, index);
      }
    }
  }
}

function checkObject(
  rule: ObjectRule,
  value: Record<string, unknown>,
  pointer: string,
  issues: ValidationIssue[],
): void {
  let unlisted = 0;
  const declared = declaredRules(rule);
  for (const key of Object.keys(value)) {
    const keyRule = declared.get(key);
    if (keyRule === undefined) {
      if (issues.length >= MAX_LISTED_ISSUES) unlisted++;
      else issues.push(unknownKeyIssue(rule, key, childPointer(pointer, key)));
      continue;
    }
    checkChild(keyRule, value[key], pointer, key, issues);
  }
  if (unlisted > 0) {
    issues.push({
      pointer,
      keyword: "additionalProperties",
      message: `has ${unlisted} more unknown propert${unlisted === 1 ? "y" : "ies"} (not listed)`,
      expected: expectedKeys(rule),
    });
  }
  for (const key of rule.required ?? []) {
    if (!Object.hasOwn(value, key)) issues.push(requiredIssue(childPointer(pointer, key), key));
  }
}

/**
 * {@link checkRule} for the member or item `segment` of the value at `parent`. Most values are
 * valid scalars, whose pointer nobody reads: it is built only for containers (their children's
 * pointers start from it) and for a scalar's issues, which all point at the scalar itself.
 */
function checkChild(
  rule: SchemaRule,
  value: unknown,
  parent: string,
  segment: string | number,
  issues: ValidationIssue[],
): void {
  if (typeof value === "object" && value !== null) {
    checkRule(rule, value, childPointer(parent, segment), issues);
    return;
  }
  const before = issues.length;
  checkRule(rule, value, "", issues);
  if (issues.length === before) return;
  const pointer = childPointer(parent, segment);
  for (let index = before; index < issues.length; index++) issues[index]!.pointer = pointer;
}

/** The issue for a missing required property. */
export function requiredIssue(pointer: string, key: string): ValidationIssue {
  return { pointer, keyword: "required", message: `missing required property "${key}"`, expected: `property "${key}"` };
}

/** Whether `value` is a plain object (not null, not an array, not a class instance). */
export function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== "object" || value === null || Array.isArray(value)) return false;
  const prototype = Object.getPrototypeOf(value);
  return prototype === Object.prototype || prototype === null;
}

function compile(pattern: string): RegExp {
  let regex = compiledPatterns.get(pattern);
  if (regex === undefined) {
    regex = new RegExp(pattern, "u");
    compiledPatterns.set(pattern, regex);
  }
  return regex;
}

function expectedType(rule: SchemaRule): string {
  if (rule.type === "const") return String(rule.value);
  if (rule.type === "union") return rule.variants.map((variant) => variant.type).join(" or ");
  if (rule.type === "record" || rule.type === "jsonSchema") return "object";
  return rule.type;
}

function typeIssue(pointer: string, expected: string, value: unknown): ValidationIssue {
  const article = /^[aeiou]/.test(expected) ? "an" : "a";
  return { pointer, keyword: "type", message: `must be ${article} ${expected}`, expected, actual: describe(value) };
}

function rangeIssue(
  pointer: string,
  keyword: "minimum" | "maximum",
  message: string,
  minimum: number | undefined,
  maximum: number | undefined,
  value: number,
): ValidationIssue {
  return { pointer, keyword, message, expected: `${minimum ?? "-∞"}..${maximum ?? "∞"}`, actual: String(value) };
}

/** A short description of a value for messages: `string "hot"`, `number 5`, `array`. */
export function describe(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return `array of ${value.length}`;
  if (typeof value === "string") {
    const shown = value.length > 60 ? `${value.slice(0, 57)}…` : value;
    return `string ${JSON.stringify(shown)}`;
  }
  if (typeof value === "number" || typeof value === "boolean") return `${typeof value} ${value}`;
  return typeof value;
}

function codePointLength(value: string): number {
  let length = value.length;
  for (let index = 0; index < value.length; index++) {
    const code = value.charCodeAt(index);
    if (code >= 0xdc00 && code <= 0xdfff && index > 0) {
      const previous = value.charCodeAt(index - 1);
      if (previous >= 0xd800 && previous <= 0xdbff) length--;
    }
  }
  return length;
}
