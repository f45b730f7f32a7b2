import { NextGenError } from "../errors/next-gen-error.js";
import type { ResolvedTemplate, TemplateOverrides } from "../template/types.js";

/** Limits an override may lower but never raise: a higher one would widen what was signed. */
const LIMITS: ReadonlySet<string> = new Set([
  "config.maxTokens",
  "config.timeoutMs",
  "config.maxSteps",
  "config.maxRetries",
]);

const isPlainObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === "object" && value !== null && !Array.isArray(value);

/** The leaf paths an override sets (`config.temperature`); `undefined` members are "not set". */
function overridePaths(value: Record<string, unknown>, prefix: string, into: Map<string, unknown>): void {
  for (const [key, item] of Object.entries(value)) {
    // Not set, or an empty object: nothing changes there.
    if (item === undefined || (isPlainObject(item) && Object.keys(item).length === 0)) continue;
    const path = prefix === "" ? key : `${prefix}.${key}`;
    if (isPlainObject(item) && Object.keys(item).length > 0) overridePaths(item, path, into);
    else into.set(path, item);
  }
}

function valueAt(template: ResolvedTemplate, path: string): unknown {
  let value: unknown = template;
  for (const key of path.split(".")) value = isPlainObject(value) && Object.hasOwn(value, key) ? value[key] : undefined;
  return value;
}

/**
 * Checks create-time overrides against what the trust policy lets them change, and
 * returns the field paths they set (for the audit trail). A path is allowed when it, or
 * a field above it, is listed in `overridable`; limits (`config.maxTokens`,
 * `config.timeoutMs`, `config.maxSteps`, `config.maxRetries`) may only go down. Anything
 * else — a tool, the description, the instructions — would widen a signed template.
 *
 * @throws {NextGenError} `NG_ERR_TRUST_OVERRIDE_REFUSED` naming every refused field.
 * @example
 * ```ts
 * checkOverrides(resolved, { config: { temperature: 0 } }, ["config.temperature"]); // ["config.temperature"]
 * checkOverrides(resolved, { tools: ["shell-exec"] }, ["config.temperature"]); // throws NG_ERR_TRUST_OVERRIDE_REFUSED
 * ```
 */
export function checkOverrides(
  template: ResolvedTemplate,
  overrides: TemplateOverrides,
  overridable: readonly string[],
): string[] {
  if (!isPlainObject(overrides)) return [];
  const paths = new Map<string, unknown>();
  overridePaths(overrides, "", paths);
  const refused: string[] = [];
  for (const [path, value] of paths) {
    const listed = overridable.some((allowed) => path === allowed || path.startsWith(`${allowed}.`));
    if (!listed) {
      refused.push(`${path} (not overridable)`);
      continue;
    }
    if (LIMITS.has(path)) {
      const signed = valueAt(template, path);
      if (typeof signed === "number" && !(typeof value === "number" && value <= signed))
        refused.push(`${path} (${JSON.stringify(value)} would raise the signed limit ${signed})`);
    }
  }
  if (refused.length > 0) {
    throw new NextGenError(
      "NG_ERR_TRUST_OVERRIDE_REFUSED",
      `overrides for ${template.id}@${template.version} may only narrow the signed template; refused: ${refused.join(", ")}. The trust policy's "overridable" lists what may change (now: ${overridable.length === 0 ? "nothing" : overridable.join(", ")}).`,
    );
  }
  return [...paths.keys()];
}
