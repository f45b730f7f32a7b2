/** What most providers accept as a function name (OpenAI, Anthropic, Gemini): `^[a-zA-Z0-9_-]{1,64}$`. */
const PROVIDER_NAME = /^[a-zA-Z0-9_-]{1,64}$/;

/**
 * Maps names the model sees to the names they stand for, and back, collision-free: a
 * registry name the provider charset refuses (`github/search`, `read.file`) becomes
 * `github_search`, `read_file`; when that clashes with another name, `_2`, `_3` … is
 * appended. Deterministic for a given list, so the same template always gets the same names.
 */
export interface ToolNameMap {
  /** Name offered to the model for `name`. */
  toProvider(name: string): string;
  /** The name a model's `providerName` stands for; `undefined` for a name nobody was offered. */
  fromProvider(providerName: string): string | undefined;
}

/**
 * Builds the {@link ToolNameMap} of `names` (in order).
 *
 * @example
 * ```ts
 * const map = toolNameMap(["github/search", "github_search"]);
 * map.toProvider("github/search"); // "github_search"
 * map.toProvider("github_search"); // "github_search_2"
 * ```
 */
export function toolNameMap(names: readonly string[]): ToolNameMap {
  const forward = new Map<string, string>();
  const backward = new Map<string, string>();
  // Names the provider accepts as they are keep them; mapped names come second.
  const ordered = [
    ...names.filter((name) => PROVIDER_NAME.test(name)),
    ...names.filter((name) => !PROVIDER_NAME.test(name)),
  ];
  for (const name of ordered) {
    if (forward.has(name)) continue;
    const base = name.replace(/[^a-zA-Z0-9_-]/g, "_").slice(0, 60) || "tool";
    let candidate = base;
    for (let suffix = 2; backward.has(candidate); suffix++) candidate = `${base}_${suffix}`;
    forward.set(name, candidate);
    backward.set(candidate, name);
  }
  return {
    toProvider: (name) => forward.get(name) ?? name,
    fromProvider: (providerName) => backward.get(providerName),
  };
}
