import { TemplateValidationError, type ValidationIssue } from "../errors/template-validation-error.js";
import { checkRule, isPlainObject } from "./check-rule.js";
import { deepFreeze, mergeLayer } from "./merge-layer.js";
import { buildResolved } from "./resolve-template.js";
import { OVERRIDES_RULE } from "./schema-rules.js";
import type { ResolvedTemplate, TemplateOverrides } from "./types.js";

/**
 * Applies `factory.create(id, { overrides })` to a resolved template, with the same
 * merge rules as `extends` (objects deeply, arrays as an ordered union, `null`
 * removes). The overrides are validated first; every problem is reported with a
 * pointer under `/overrides`. Returns a new frozen template with `overridden: true`;
 * `digest` and `chain` still name the files it came from. Empty overrides return
 * `resolved` itself.
 *
 * @throws {TemplateValidationError} `NG_ERR_TEMPLATE_INVALID` for unknown keys, wrong types
 *   or out-of-range values.
 * @example
 * ```ts
 * import { applyOverrides } from "@nextgen/core";
 *
 * const cold = applyOverrides(resolved, { config: { temperature: 0 }, tools: ["semgrep"] });
 * cold.config.temperature; // 0
 * ```
 */
export function applyOverrides(resolved: ResolvedTemplate, overrides: TemplateOverrides): ResolvedTemplate {
  const issues: ValidationIssue[] = [];
  const layer = withoutUndefined(overrides);
  checkRule(OVERRIDES_RULE, layer, "/overrides", issues);
  if (issues.length > 0) throw new TemplateValidationError(issues, { subject: `overrides for ${resolved.id}` });
  if (Object.keys(layer).length === 0) return resolved;

  const base: Record<string, unknown> = {
    name: resolved.name,
    role: resolved.role,
    domain: resolved.domain,
    description: resolved.description,
    capabilities: resolved.capabilities,
    tools: resolved.tools,
    config: resolved.config,
    metadata: resolved.metadata,
    instructions: resolved.instructions,
    output: resolved.output,
    agents: resolved.agents,
    toolPins: resolved.toolPins,
  };
  for (const key of ["domain", "instructions", "output", "agents", "toolPins"])
    if (base[key] === undefined) delete base[key];
  const merged = mergeLayer(base, layer);
  return deepFreeze(buildResolved(merged, resolved, resolved.digest, resolved.chain, true));
}

/** `{ temperature: undefined }` means "not set" in TypeScript, so it is dropped, not refused. */
function withoutUndefined(value: unknown): Record<string, unknown> {
  if (!isPlainObject(value)) return value as Record<string, unknown>;
  const result: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value)) {
    if (item !== undefined) result[key] = isPlainObject(item) ? withoutUndefined(item) : item;
  }
  return result;
}
