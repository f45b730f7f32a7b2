import type { ValidationIssue } from "../errors/template-validation-error.js";
import { didYouMean } from "./did-you-mean.js";
import type { ObjectRule, SchemaRule } from "./schema-rules.js";

/**
 * Unknown keys past this many issues are counted, not listed, and get no "did you mean": a
 * hostile template of tens of thousands of keys costs a bounded amount of work and memory.
 */
export const MAX_LISTED_ISSUES = 100;

const declaredRuleMaps = new WeakMap<ObjectRule, ReadonlyMap<string, SchemaRule>>();

/**
 * The properties `rule` declares, as a map from key to rule built once per rule: one lookup
 * says whether a key is known and gives its rule.
 *
 * @example
 * ```ts
 * declaredRules(TEMPLATE_RULE).get("capabilities")?.type; // "array"
 * ```
 */
export function declaredRules(rule: ObjectRule): ReadonlyMap<string, SchemaRule> {
  // A Map lookup stays fast for tens of thousands of distinct unknown keys, where a property
  // lookup on the rule object falls back to a slow generic path for each new key.
  let rules = declaredRuleMaps.get(rule);
  if (rules === undefined) {
    rules = new Map(Object.entries(rule.properties));
    declaredRuleMaps.set(rule, rules);
  }
  return rules;
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
