import { NextGenError } from "@nextgen/core";

/** Bounds on what an MCP server sends (its output is untrusted). */
export interface McpLimits {
  /** Most tools one server may offer. @default 256 */
  maxTools?: number;
  /** Longest tool description, in UTF-8 bytes. @default 16384 */
  maxDescriptionBytes?: number;
  /** Largest input schema, in UTF-8 bytes of its RFC 8785 form. @default 65536 */
  maxSchemaBytes?: number;
  /** Deepest nesting of an input schema (objects and arrays). @default 32 */
  maxSchemaDepth?: number;
  /** Largest tool result, in UTF-8 bytes of its JSON; larger ones become an error result. @default 1048576 */
  maxResultBytes?: number;
}

/** @internal Limits with every default filled in. */
export type ResolvedLimits = Required<McpLimits>;

const DEFAULTS: ResolvedLimits = {
  maxTools: 256,
  maxDescriptionBytes: 16 * 1024,
  maxSchemaBytes: 64 * 1024,
  maxSchemaDepth: 32,
  maxResultBytes: 1024 * 1024,
};

/** @internal Validates `limits` (positive integers) and fills in defaults. */
export function resolveLimits(limits: McpLimits | undefined): ResolvedLimits {
  const resolved = { ...DEFAULTS };
  for (const [key, value] of Object.entries(limits ?? {})) {
    if (!(key in DEFAULTS)) throw new NextGenError("NG_ERR_OPTIONS_INVALID", `options.limits.${key} is not a limit`);
    if (value === undefined) continue;
    if (!Number.isSafeInteger(value) || value < 1)
      throw new NextGenError("NG_ERR_OPTIONS_INVALID", `options.limits.${key} must be a positive integer`);
    resolved[key as keyof ResolvedLimits] = value;
  }
  return resolved;
}

/**
 * @internal The nesting depth of a JSON value, walked iteratively (so a hostile value
 * cannot exhaust the stack), stopping as soon as it passes `max`.
 */
export function depthExceeds(value: unknown, max: number): boolean {
  const stack: Array<[unknown, number]> = [[value, 1]];
  while (stack.length > 0) {
    const [current, depth] = stack.pop() as [unknown, number];
    if (typeof current !== "object" || current === null) continue;
    if (depth > max) return true;
    for (const child of Object.values(current)) stack.push([child, depth + 1]);
  }
  return false;
}
