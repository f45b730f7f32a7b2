import { isSemver } from "./semver-compare.js";
import { isTemplateId } from "./template-id.js";

/** What a file's path below a directory source says about the template it holds. */
export interface TemplateFileName {
  /** Template id, from the path without the extension and `@version`. */
  id: string;
  /** Version from an `<id>@<version>` file name; `undefined` for `<id>.json` (read from the content). */
  version: string | undefined;
  /** Whether the file is codec-encoded (`.json.zst`). */
  encoded: boolean;
}

/**
 * Maps a path relative to the source root (`/`-separated) to the template it names, or
 * `undefined` when the file is not a template file (`trust.json` at the root, a
 * `.manifest.json`, a dotfile). The hot-reload watcher uses the same mapping.
 *
 * @example
 * ```ts
 * parseTemplateFileName("security/auditor@2.0.0.json.zst"); // { id: "security/auditor", version: "2.0.0", encoded: true }
 * parseTemplateFileName("trust.json"); // undefined
 * ```
 */
export function parseTemplateFileName(relativePath: string): TemplateFileName | undefined {
  const encoded = relativePath.endsWith(".json.zst");
  if (!encoded && !relativePath.endsWith(".json")) return undefined;
  const stem = relativePath.slice(0, relativePath.length - (encoded ? ".json.zst".length : ".json".length));
  const at = stem.lastIndexOf("@");
  const id = at === -1 ? stem : stem.slice(0, at);
  const version = at === -1 ? undefined : stem.slice(at + 1);
  if (!isTemplateId(id)) return undefined;
  if (version !== undefined && !isSemver(version)) return undefined;
  return { id, version, encoded };
}

/** The file names, relative to the id's folder, that may hold versions of `id`'s leaf name. */
export function matchesTemplateName(fileName: string, leafName: string): boolean {
  return (
    fileName === `${leafName}.json` ||
    fileName === `${leafName}.json.zst` ||
    (fileName.startsWith(`${leafName}@`) && (fileName.endsWith(".json") || fileName.endsWith(".json.zst")))
  );
}
