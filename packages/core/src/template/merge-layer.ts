import { isPlainObject } from "./check-rule.js";

/**
 * Merges `layer` over `base` with the `extends` rules and returns a new object (neither
 * input is changed or shared): objects merge deeply, arrays are an ordered union (base
 * first, no duplicates), scalars override, and `null` removes the key.
 */
export function mergeLayer(
  base: Readonly<Record<string, unknown>>,
  layer: Readonly<Record<string, unknown>>,
): Record<string, unknown> {
  const merged: Record<string, unknown> = {};
  for (const key of Object.keys(base)) merged[key] = copyValue(base[key]);
  for (const key of Object.keys(layer)) {
    const value = layer[key];
    if (value === undefined) continue;
    if (value === null) {
      delete merged[key];
      continue;
    }
    const current = merged[key];
    if (isPlainObject(value)) {
      merged[key] = mergeLayer(isPlainObject(current) ? current : {}, value);
    } else if (Array.isArray(value)) {
      merged[key] = orderedUnion(Array.isArray(current) ? current : [], value);
    } else {
      merged[key] = value;
    }
  }
  return merged;
}

/**
 * {@link mergeLayer} with the template-level exceptions: `output` (a JSON Schema) is
 * replaced whole, never merged key by key; `instructions` arrays are an ordered union
 * with the parent's (a parent string counts as one part), while a string replaces.
 */
export function mergeTemplateLayer(
  base: Readonly<Record<string, unknown>>,
  layer: Readonly<Record<string, unknown>>,
): Record<string, unknown> {
  const { output, instructions, ...rest } = layer;
  const merged = mergeLayer(base, rest);
  if (output === null) delete merged.output;
  else if (output !== undefined) merged.output = output;
  if (instructions === null) delete merged.instructions;
  else if (typeof instructions === "string") merged.instructions = instructions;
  else if (Array.isArray(instructions)) {
    const parent = merged.instructions;
    merged.instructions = orderedUnion(
      typeof parent === "string" ? [parent] : Array.isArray(parent) ? parent : [],
      instructions,
    );
  }
  return merged;
}

function orderedUnion(first: readonly unknown[], second: readonly unknown[]): unknown[] {
  return [...new Set([...first, ...second])];
}

function copyValue(value: unknown): unknown {
  if (Array.isArray(value)) return [...value];
  if (isPlainObject(value)) return mergeLayer({}, value);
  return value;
}

/**
 * Freezes `value` and everything reachable from it; returns it. The one deep freeze of core:
 * resolved templates and the cache's shared L1 objects are frozen with it.
 *
 * @example
 * ```ts
 * const template = deepFreeze(parseTemplate(bytes));
 * ```
 */
export function deepFreeze<T>(value: T): T {
  if (typeof value === "object" && value !== null && !Object.isFrozen(value)) {
    for (const key of Object.keys(value)) deepFreeze((value as Record<string, unknown>)[key]);
    Object.freeze(value);
  }
  return value;
}
