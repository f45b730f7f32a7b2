// The value of the factory's one in-process template cache: a leaf file (type imports only).
import type { LoadedTemplate } from "../factory/template-loader.js";
import type { AgentTemplate } from "../template/types.js";

/**
 * One verified template as the factory's cache holds it, under `id` (the latest) and
 * `id@version`: the frozen template and its verdict's bound, its resolution (`extends`
 * chain merged, tools bound) once a create asked for it, and the warm-create bindings of
 * each kind. Everything about one template lives here, so that an invalidation drops it
 * in one place.
 * @internal
 */
export interface CachedTemplate<Binding> {
  /** Parsed, verified, deeply frozen. */
  readonly template: AgentTemplate;
  /** Until when its verdict holds (signature `exp`, key `notAfter`), ms since the epoch; `Infinity` for no bound. */
  readonly validUntilMs: number;
  /** The resolution, started by the first create that needed it (shared by the concurrent ones). */
  resolved: Promise<LoadedTemplate> | undefined;
  /** Ids of the templates the resolution used (itself and its `extends` parents), once it settled. */
  chainIds: readonly string[] | undefined;
  /** Warm-create bindings by kind name, of the resolution. */
  readonly bindings: Map<string, Binding>;
  /**
   * The binding a warm `create(id)` uses (the template's own kind, no overrides): a field
   * rather than a `bindings` lookup, as it is read on every warm create.
   */
  warm: Binding | undefined;
}
