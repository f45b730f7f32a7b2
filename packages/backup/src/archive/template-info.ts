import type { TemplateDigest } from "@nextgen/core";
import * as core from "@nextgen/core";

/** What a manifest records about a template file. */
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

// Core's template API, looked up by name at run time: a file that does not parse is simply
// not a template (archives keep every file; only parseable ones are described).
interface CoreTemplateApi {
  parseTemplate?: (text: string) => unknown;
  templateDigest?: (template: never) => TemplateDigest | Promise<TemplateDigest>;
}
const templateApi = core as unknown as CoreTemplateApi;

/**
 * Describes a `.json` template file with core's `parseTemplate` and `templateDigest`;
 * returns `undefined` for any file that is not a valid template (or when core is older
 * than these functions).
 */
export async function describeTemplate(path: string, data: Uint8Array): Promise<TemplateRecord | undefined> {
  const { parseTemplate, templateDigest } = templateApi;
  if (!path.endsWith(".json") || parseTemplate === undefined || templateDigest === undefined) return undefined;
  try {
    const template = parseTemplate(Buffer.from(data).toString("utf8")) as { id?: unknown; version?: unknown };
    if (typeof template.id !== "string" || typeof template.version !== "string") return undefined;
    const digest = await templateDigest(template as never);
    return { id: template.id, version: template.version, digest, path };
  } catch {
    return undefined;
  }
}
