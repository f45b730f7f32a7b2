import { NextGenError } from "../errors/next-gen-error.js";

/** The id and version a template declares, or that a path or a request names. */
export interface TemplateIdentity {
  /** Template id. */
  readonly id: unknown;
  /** Version; `undefined` where a name leaves it open (`<id>.json`, "latest"). */
  readonly version?: unknown;
}

/**
 * The one id rule of @nextgen: a template must declare the id it is found or asked under, and
 * the version too wherever that names one. Returns which field disagrees first, or `undefined`.
 * Directory sources, the cache, the loader and the CLI's `validate`/`verify`/`sign` all ask it,
 * each wording its own message.
 *
 * @example
 * ```ts
 * identityMismatch({ id: "a/b", version: "1.0.0" }, { id: "a/b", version: undefined }); // undefined
 * identityMismatch({ id: "a/c", version: "1.0.0" }, { id: "a/b" }); // "id"
 * ```
 */
export function identityMismatch(declared: TemplateIdentity, expected: TemplateIdentity): "id" | "version" | undefined {
  if (declared.id !== expected.id) return "id";
  if (expected.version !== undefined && declared.version !== expected.version) return "version";
  return undefined;
}

/**
 * Throws `NG_ERR_SOURCE_ID_MISMATCH` unless the parsed `template` is the one `served` says it is:
 * defence in depth where bytes come from a source (a host's own source may not check names) or
 * a cache key.
 *
 * @example
 * ```ts
 * assertServedIdentity(parseTemplate(entry.bytes), entry, `the source served it as ${entry.id}@${entry.version}`);
 * ```
 */
export function assertServedIdentity(
  template: { readonly id: string; readonly version: string },
  served: TemplateIdentity & { readonly location: string },
  asWhat: string,
): void {
  if (identityMismatch(template, served) === undefined) return;
  throw new NextGenError(
    "NG_ERR_SOURCE_ID_MISMATCH",
    `${served.location} holds ${template.id}@${template.version}, but ${asWhat}.`,
  );
}
