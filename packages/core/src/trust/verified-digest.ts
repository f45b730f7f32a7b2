import type { AgentTemplate, TemplateDigest } from "../template/types.js";

// Keyed by the template object: an entry lives no longer than the template it describes.
const digests = new WeakMap<AgentTemplate, TemplateDigest>();

/**
 * Records the digest a trust policy computed from the canonical bytes of `template` while
 * verifying it, so the factory's resolution of the same object does not canonicalize and
 * hash it a second time. Only frozen objects are recorded; the factory reads it back only
 * for templates it parsed itself and deep-froze before verifying them, so the digest
 * cannot describe other content than the object's.
 * @internal
 *
 * @example
 * ```ts
 * noteVerifiedDigest(template, digestOfBytes(canonicalTemplateBytes(template)));
 * ```
 */
export function noteVerifiedDigest(template: AgentTemplate, digest: TemplateDigest): void {
  if (Object.isFrozen(template)) digests.set(template, digest);
}

/**
 * The digest a trust policy computed while verifying `template` (see
 * {@link noteVerifiedDigest}), or `undefined` when none did.
 * @internal
 *
 * @example
 * ```ts
 * const digest = verifiedDigestOf(template) ?? templateDigest(template);
 * ```
 */
export function verifiedDigestOf(template: AgentTemplate): TemplateDigest | undefined {
  return digests.get(template);
}
