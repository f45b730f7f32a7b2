import { hash } from "node:crypto";
import { NextGenError } from "../errors/next-gen-error.js";
import type { AgentTemplate, TemplateDigest } from "../template/types.js";
import { canonicalize } from "./canonicalize.js";

/**
 * The bytes that get signed and hashed: the RFC 8785 canonical form of the template
 * without its `signatures` (so adding a signature never changes what was signed).
 *
 * @example
 * ```ts
 * import { canonicalTemplateBytes, parseTemplate } from "@nextgen/core";
 *
 * const template = parseTemplate(await readFile("templates/security/auditor.json"));
 * const payload = canonicalTemplateBytes(template); // sign or verify these bytes
 * ```
 */
export function canonicalTemplateBytes(template: AgentTemplate): Uint8Array {
  if (typeof template !== "object" || template === null || Array.isArray(template)) {
    // canonicalize would happily encode a string or array; a template is always an object.
    const actual = template === null ? "null" : Array.isArray(template) ? "an array" : typeof template;
    throw new NextGenError("NG_ERR_TEMPLATE_NOT_JSON", `a template must be a JSON object, got ${actual}`);
  }
  const { signatures: _signatures, ...unsigned } = template;
  return canonicalize(unsigned);
}

/**
 * The identity of a template version: `sha256:` and the lowercase hex SHA-256 of its
 * {@link canonicalTemplateBytes}. Formatting, key order and signatures do not change it.
 *
 * @example
 * ```ts
 * import { parseTemplate, templateDigest } from "@nextgen/core";
 *
 * templateDigest(parseTemplate(text)); // "sha256:9f86d08…"
 * ```
 */
export function templateDigest(template: AgentTemplate): TemplateDigest {
  // One-shot crypto.hash (Node ≥ 20.12) is about twice as fast as createHash for small inputs.
  return `sha256:${hash("sha256", canonicalTemplateBytes(template), "hex")}`;
}
