import { NextGenError } from "../errors/next-gen-error.js";
import { formatPointer } from "../template/json-pointer.js";

const encoder = new TextEncoder();
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
/** Characters that need escaping or a surrogate check; most strings have none. */
// biome-ignore lint/suspicious/noControlCharactersInRegex: finding control characters (to escape them) is the point.
const SPECIAL = /[\u0000-\u001f"\\\uD800-\uDFFF]/;

/**
 * The RFC 8785 (JSON Canonicalization Scheme) text of a JSON value: object keys sorted
 * by UTF-16 code units, no whitespace, numbers as ECMAScript prints them, strings with
 * the minimal JSON escaping.
 *
 * @throws {NextGenError} `NG_ERR_TEMPLATE_NOT_JSON` for a value JSON cannot represent
 *   exactly: `undefined`, a function, symbol or bigint, a non-finite number, a string
 *   with a lone surrogate, an object that is not plain (Date, Map, class instance), or
 *   a cycle.
 * @example
 * ```ts
 * canonicalJson({ b: 1, a: [true, null] }); // '{"a":[true,null],"b":1}'
 * ```
 */
export function canonicalJson(value: unknown): string {
  return serialize(value, [], []);
}

/**
 * The RFC 8785 (JCS) canonical bytes of a JSON value, UTF-8 encoded. Two values that
 * are equal as JSON always give the same bytes, whatever their key order, so the bytes
 * can be hashed and signed.
 *
 * @throws {NextGenError} `NG_ERR_TEMPLATE_NOT_JSON` for a value JSON cannot represent
 *   exactly (see {@link canonicalJson}).
 * @example
 * ```ts
 * import { canonicalize } from "@nextgen/core";
 *
 * const bytes = canonicalize({ version: "1.0.0", id: "security/auditor" });
 * new TextDecoder().decode(bytes); // '{"id":"security/auditor","version":"1.0.0"}'
 * ```
 */
export function canonicalize(value: unknown): Uint8Array {
  return encoder.encode(serialize(value, [], []));
}

function serialize(value: unknown, path: (string | number)[], ancestors: object[]): string {
  switch (typeof value) {
    case "string":
      return serializeString(value, path);
    case "number":
      if (!Number.isFinite(value)) refuse(path, `the number ${value} has no JSON form`);
      // ECMAScript Number::toString is exactly the RFC 8785 number form (and -0 prints as 0).
      return String(value);
    case "boolean":
      return value ? "true" : "false";
    case "object": {
      if (value === null) return "null";
      if (ancestors.includes(value)) refuse(path, "the value contains a cycle");
      ancestors.push(value);
      const text = Array.isArray(value)
        ? serializeArray(value, path, ancestors)
        : serializeObject(value, path, ancestors);
      ancestors.pop();
      return text;
    }
    default:
      return refuse(path, `${typeof value} values have no JSON form`);
  }
}

function serializeArray(array: readonly unknown[], path: (string | number)[], ancestors: object[]): string {
  let text = "[";
  for (let index = 0; index < array.length; index++) {
    if (index > 0) text += ",";
    path.push(index);
    // Holes and undefined are refused, not turned into null as JSON.stringify would.
    text += serialize(array[index], path, ancestors);
    path.pop();
  }
  return `${text}]`;
}

function serializeObject(object: object, path: (string | number)[], ancestors: object[]): string {
  const prototype = Object.getPrototypeOf(object);
  if (prototype !== Object.prototype && prototype !== null) {
    refuse(path, `an instance of ${object.constructor?.name ?? "a class"} is not a plain JSON object`);
  }
  const keys = sortKeys(Object.keys(object));
  let text = "{";
  for (let index = 0; index < keys.length; index++) {
    const key = keys[index]!;
    if (index > 0) text += ",";
    path.push(key);
    text += `${serializeString(key, path)}:${serialize((object as Record<string, unknown>)[key], path, ancestors)}`;
    path.pop();
  }
  return `${text}}`;
}

/** Objects with at most this many keys are sorted in place by insertion: no scratch array per object. */
const INSERTION_SORT_MAX = 24;

/**
 * Sorts `keys` by UTF-16 code units, the order RFC 8785 prescribes (as the default
 * `sort` does). A template's objects have a handful of keys each, and the default
 * sort allocates a scratch array per call: on a cold create that was a tenth of the
 * canonicalization's garbage.
 */
function sortKeys(keys: string[]): string[] {
  if (keys.length > INSERTION_SORT_MAX) return keys.sort();
  for (let index = 1; index < keys.length; index++) {
    const key = keys[index]!;
    let at = index - 1;
    while (at >= 0 && keys[at]! > key) {
      keys[at + 1] = keys[at]!;
      at--;
    }
    keys[at + 1] = key;
  }
  return keys;
}

function serializeString(value: string, path: readonly (string | number)[]): string {
  if (!SPECIAL.test(value)) return `"${value}"`;
  if (LONE_SURROGATE.test(value)) refuse(path, "a string with a lone surrogate has no canonical form");
  // For well-formed strings JSON.stringify escapes exactly as RFC 8785 requires:
  // \b \t \n \f \r \" \\ by name, other controls as \u00xx, everything else as is.
  return JSON.stringify(value);
}

function refuse(path: readonly (string | number)[], reason: string): never {
  const pointer = formatPointer(path);
  throw new NextGenError(
    "NG_ERR_TEMPLATE_NOT_JSON",
    `cannot canonicalize ${pointer === "" ? "/" : pointer}: ${reason}`,
  );
}
