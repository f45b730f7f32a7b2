import { hash } from "node:crypto";
import type { TemplateDigest } from "../template/types.js";

// The canonical form lives in `src/canonical/`; trust hashes the bytes it already has
// rather than canonicalizing twice (`templateDigest` would).
export { canonicalTemplateBytes } from "../canonical/template-digest.js";

/** @internal `sha256:<hex>` of canonical bytes (equal to `templateDigest` of their template). */
export function digestOfBytes(bytes: Uint8Array): TemplateDigest {
  return `sha256:${hash("sha256", bytes, "hex")}`;
}
