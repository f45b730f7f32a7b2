import { OptionsError } from "../errors/options-error.js";
import type { AgentTemplate, TemplateRef } from "../template/types.js";
import { compareSemver, highestVersion, isSemver } from "./semver-compare.js";
import { assertTemplateId, isTemplateId } from "./template-id.js";
import type { LatestVersion, SourceEntry, SourceReadOptions, TemplateSource } from "./template-source.js";

const encoder = new TextEncoder();

/**
 * Templates held in memory, for tests and for hosts that build templates in code. Each
 * template is serialised to JSON bytes up front, so the factory parses, verifies and
 * resolves them exactly as it would files (a memory source is no shortcut around trust).
 * The latest version of an id leaves pre-releases out unless `includePrerelease` is set.
 *
 * @example
 * ```ts
 * const source = memorySource([
 *   { schemaVersion: 1, id: "demo/echo", version: "1.0.0", name: "Echo", role: "specialist" },
 * ]);
 * ```
 */
export function memorySource(
  templates: readonly AgentTemplate[],
  options: {
    /**
     * Whether a pre-release may be served as the latest version of an id (npm: no).
     * @default false
     */
    includePrerelease?: boolean;
  } = {},
): TemplateSource {
  const includePrerelease = options?.includePrerelease === true;
  if (!Array.isArray(templates)) throw new OptionsError("templates", "must be an array of templates.");
  const byId = new Map<string, Map<string, SourceEntry>>();
  templates.forEach((template, index) => {
    const { id, version } = (template ?? {}) as { id?: unknown; version?: unknown };
    if (typeof id !== "string" || !isTemplateId(id)) {
      throw new OptionsError(
        `templates[${index}].id`,
        `must be a namespace/name template id, got ${JSON.stringify(id)}.`,
      );
    }
    if (typeof version !== "string" || !isSemver(version)) {
      throw new OptionsError(
        `templates[${index}].version`,
        `must be a semantic version, got ${JSON.stringify(version)}.`,
      );
    }
    const versions = byId.get(id) ?? new Map<string, SourceEntry>();
    if (versions.has(version)) throw new OptionsError(`templates[${index}]`, `duplicates ${id}@${version}.`);
    const bytes = encoder.encode(JSON.stringify(template, null, 2));
    versions.set(version, { id, version, bytes, location: `memory:${id}@${version}` });
    byId.set(id, versions);
  });

  return {
    name: "memory",
    async get(id: string, version?: string, options?: SourceReadOptions): Promise<SourceEntry | undefined> {
      options?.signal?.throwIfAborted();
      assertTemplateId(id);
      const versions = byId.get(id);
      if (!versions) return undefined;
      const wanted = version ?? highestVersion(versions.keys(), { includePrerelease });
      const entry = wanted === undefined ? undefined : versions.get(wanted);
      // A copy, so a caller that mutates the bytes cannot change the source.
      return entry && { ...entry, bytes: entry.bytes.slice() };
    },
    async latest(id: string, options?: SourceReadOptions): Promise<LatestVersion | undefined> {
      options?.signal?.throwIfAborted();
      assertTemplateId(id);
      const version = highestVersion(byId.get(id)?.keys() ?? [], { includePrerelease });
      return version === undefined ? undefined : { version };
    },
    async check(options?: SourceReadOptions): Promise<void> {
      options?.signal?.throwIfAborted();
    },
    async list(options?: SourceReadOptions): Promise<TemplateRef[]> {
      options?.signal?.throwIfAborted();
      const refs: TemplateRef[] = [];
      for (const [id, versions] of byId) for (const version of versions.keys()) refs.push({ id, version });
      return refs.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : compareSemver(a.version, b.version)));
    },
  };
}
