import type { ValidationIssue } from "../errors/template-validation-error.js";
import { checkRule } from "./check-rule.js";
import { TEMPLATE_RULE } from "./schema-rules.js";
import type { AgentTemplate } from "./types.js";

/** The outcome of {@link validateTemplate}: the typed template, or every problem found. */
export type ValidationResult = { valid: true; template: AgentTemplate } | { valid: false; issues: ValidationIssue[] };

/**
 * Checks a parsed JSON value against the template schema (schemaVersion 1) and reports
 * **every** problem at once, each with an RFC 6901 pointer, a message, the expected and
 * actual values and, for unknown keys, the closest known key. It checks the file's own
 * rules; fields inherited through `extends` are checked by `resolveTemplate`.
 *
 * @param value - A value from a JSON parser (`parseTemplate` runs this for you).
 * @returns `{ valid: true, template }` (the same object, now typed) or `{ valid: false, issues }`.
 * @example
 * ```ts
 * import { validateTemplate } from "@nextgen/core";
 *
 * const result = validateTemplate({ schemaVersion: 1, id: "qa/tester", version: "1.0.0", capabilites: [] });
 * if (!result.valid) {
 *   for (const issue of result.issues) console.log(issue.pointer, issue.message, issue.suggestion);
 *   // "/capabilites" 'unknown property "capabilites"' "capabilities"
 * }
 * ```
 */
export function validateTemplate(value: unknown): ValidationResult {
  const issues: ValidationIssue[] = [];
  checkRule(TEMPLATE_RULE, value, "", issues);
  if (issues.length > 0) return { valid: false, issues };
  return { valid: true, template: value as AgentTemplate };
}
