import { NextGenError } from "../errors/next-gen-error.js";
import { TEMPLATE_ID_PATTERN } from "../template/schema-rules.js";

// The schema's `namespace/name` pattern: two segments of lowercase letters, digits and
// dashes, so an id is always a safe relative path (no `.`, `..`, `/` or `\` segment).
const TEMPLATE_ID = new RegExp(TEMPLATE_ID_PATTERN);

/**
 * Whether `id` is a well-formed, path-safe template id (`security/auditor`).
 *
 * @example
 * ```ts
 * isTemplateId("security/auditor"); // true
 * isTemplateId("../etc/passwd"); // false
 * ```
 */
export function isTemplateId(id: string): boolean {
  return TEMPLATE_ID.test(id);
}

/**
 * Throws `NG_ERR_SOURCE_ID_INVALID` unless `id` is a well-formed template id. Sources call
 * it before touching any path, so `../../etc/passwd` never reaches the file system.
 */
export function assertTemplateId(id: unknown): asserts id is string {
  if (typeof id !== "string" || !TEMPLATE_ID.test(id)) {
    throw new NextGenError(
      "NG_ERR_SOURCE_ID_INVALID",
      `Template id ${JSON.stringify(id)} is not of the form namespace/name (two segments of lowercase letters, digits and dashes).`,
    );
  }
}
