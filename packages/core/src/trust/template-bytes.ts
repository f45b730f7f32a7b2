import { createHash } from "node:crypto";
import type { AgentTemplate, TemplateDigest } from "../template/types.js";

// Canonical bytes of a template (RFC 8785 of the template without `signatures`) and
// their digest. Interim copy until `src/canonical/` lands; then this re-exports it.

function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== "object") return JSON.stringify(value);
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(",")}]`;
  const record = value as Record<string, unknown>;
  const members = Object.keys(record)
    .filter((key) => record[key] !== undefined)
    .sort()
    .map((key) => `${JSON.stringify(key)}:${canonicalJson(record[key])}`);
  return `{${members.join(",")}}`;
}

/** @internal RFC 8785 bytes of `template` without `signatures`. */
export function canonicalTemplateBytes(template: AgentTemplate): Uint8Array {
  const { signatures: _signatures, ...content } = template;
  return new TextEncoder().encode(canonicalJson(content));
}

/** @internal `sha256:<hex>` of `bytes`. */
export function digestOfBytes(bytes: Uint8Array): TemplateDigest {
  return `sha256:${createHash("sha256").update(bytes).digest("hex")}`;
}
