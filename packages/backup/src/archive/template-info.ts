import { parseTemplate, type TemplateDigest, templateDigest } from "@nextgen/core";

/**
 * What a manifest records about a template file.
 *
 * @example
 * ```ts
 * const templates: readonly TemplateRecord[] = manifest.templates;
 * for (const { id, version, digest } of templates) console.log(id, version, digest);
 * ```
 */
export interface TemplateRecord {
  /** Template id (`namespace/name`). */
  readonly id: string;
  /** Template version. */
  readonly version: string;
  /** `sha256:` digest of the template's canonical form. */
  readonly digest: TemplateDigest;
  /** Path of the file in the archive. */
  readonly path: string;
}

/**
 * Describes a `.json` template file with core's `parseTemplate` and `templateDigest`;
 * returns `undefined` for any file that is not a valid template. Archives keep every file;
 * only the ones that parse are described (a `.json.zst` file is recorded by checksum only,
 * since decoding it needs the host's codec).
 */
export function describeTemplate(path: string, data: Uint8Array): TemplateRecord | undefined {
  if (!path.endsWith(".json")) return undefined;
  try {
    const template = parseTemplate(data);
    return { id: template.id, version: template.version, digest: templateDigest(template), path };
  } catch {
    return undefined;
  }
}
