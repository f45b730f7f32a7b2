import type { ValidationIssue } from "../errors/template-validation-error.js";
import { didYouMean } from "./did-you-mean.js";
import type { ObjectRule } from "./schema-rules.js";

/**
 * Unknown keys past this many issues are counted, not listed, and get no "did you mean": a
 * hostile template of tens of thousands of keys costs a bounded amount of work and memory.
 */
export const MAX_LISTED_ISSUES = 100;

const declaredKeySets = new WeakMap<ObjectRule, ReadonlySet<string>>();

/**
 * The keys `rule` declares, as a set built once per rule.
 *
 * @example
 * ```ts
 * declaredKeys(TEMPLATE_RULE).has("capabilities"); // true
 * ```
 */
export function declaredKeys(rule: ObjectRule): ReadonlySet<string> {
  // A Set lookup stays fast for tens of thousands of distinct unknown keys, where a property
  // lookup on the rule object falls back to a slow generic path for each new key.
  let keys = declaredKeySets.get(rule);
  if (keys === undefined) {
    keys = new Set(Object.keys(rule.properties));
    declaredKeySets.set(rule, keys);
  }
  return keys;
}

/**
 * The issue for `key`, which `rule` does not declare, at `pointer`, with the closest declared
 * key as a suggestion when one is close enough.
 *
 * @example
 * ```ts
 * unknownKeyIssue(TEMPLATE_RULE, "capabilites", "/capabilites").suggestion; // "capabilities"
 * ```
 */
export function unknownKeyIssue(rule: ObjectRule, key: string, pointer: string): ValidationIssue {
  const known = Object.keys(rule.properties);
  const suggestion = didYouMean(key, known);
  return {
    pointer,
    keyword: "additionalProperties",
    message: `unknown property "${shorten(key)}"`,
    expected: expectedKeys(rule),
    ...(suggestion === undefined ? {} : { suggestion }),
  };
}

/**
 * What an object of `rule` may hold, for messages (`one of name, role, …`).
 *
 * @example
 * ```ts
 * expectedKeys(TEMPLATE_RULE); // "one of $schema, schemaVersion, id, …"
 * ```
 */
export function expectedKeys(rule: ObjectRule): string {
  return `one of ${Object.keys(rule.properties).join(", ")}`;
}

/** A key as shown in a message: long keys are cut (the pointer still names the whole key). */
function shorten(key: string): string {
  return key.length > 80 ? `${key.slice(0, 77)}…` : key;
}
