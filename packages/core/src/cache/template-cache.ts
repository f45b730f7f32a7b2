import { NextGenError } from "../errors/next-gen-error.js";
import type { TemplateSource } from "../source/template-source.js";
import { parseTemplate } from "../template/parse-template.js";
import type { AgentTemplate } from "../template/types.js";
import type { TemplateVerifier } from "../trust/template-verifier.js";
import type { CacheTier } from "./cache-tier.js";
import type { InvalidationBus, InvalidationMessage } from "./invalidation-bus.js";
import { createTieredCache } from "./tiered-cache.js";
import type { TieredCache, TieredCacheStats, TierHealth } from "./tiered-cache-options.js";

/**
 * The tiered-cache part of `createAgentFactory`'s `cache` option. (A type alias, not an
 * interface, so that option validators can treat it as a plain record.)
 *
 * @example
 * ```ts
 * const cache: TemplateCacheOptions = { layers: [memoryTier(), redisTier({ url })], lowerTtlMs: 3_600_000, notFoundTtlMs: 1_000 };
 * ```
 */
export type TemplateCacheOptions = {
  /**
   * Cache tiers, fastest first: `memoryTier()` (L1, verified templates), then byte tiers
   * such as `fileTier({ dir, codec })` and `redisTier(…)`, which are untrusted: every
   * template coming up from them is parsed and verified again.
   */
  layers?: CacheTier[];
  /** How long a cached template counts as fresh, in milliseconds. @default no expiry (until invalidated) */
  ttlMs?: number;
  /** After `ttlMs`, how long a stale template is served while the source fails, in milliseconds. @default 60_000 */
  staleGraceMs?: number;
  /** Time to live of entries in the lower tiers, in milliseconds. @default the tier's own */
  lowerTtlMs?: number;
  /** How long "no such template" is remembered, in milliseconds. @default 1_000 */
  notFoundTtlMs?: number;
  /** Time limit of one lower-tier call, in milliseconds. @default 250 */
  tierTimeoutMs?: number;
  /** Tells other instances (and hears from them) when a template changes or is revoked. */
  bus?: InvalidationBus;
  /** Current time in milliseconds since the epoch. @default Date.now */
  clock?: () => number;
};

/** The tiered cache of source templates a factory reads through. @internal */
export interface TemplateCache {
  /** Like `source.get` + parse + verify, through the tiers. */
  fetch(id: string, version: string | undefined, signal: AbortSignal | undefined): Promise<AgentTemplate | undefined>;
  /** Drops every cached version of `ids` here and, unless `broadcast` is false, on other instances. */
  invalidate(ids: readonly string[], reason: InvalidationMessage["reason"], broadcast?: boolean): Promise<void>;
  stats(): TieredCacheStats;
  health(): Promise<TierHealth[]>;
  idle(): Promise<void>;
  close(): Promise<void>;
}

/** Freezes `value` and everything in it: L1 objects are shared by every create. */
function deepFreeze<V>(value: V): V {
  if (typeof value === "object" && value !== null && !Object.isFrozen(value)) {
    for (const child of Object.values(value)) deepFreeze(child);
    Object.freeze(value);
  }
  return value;
}

const keyOf = (id: string, version: string | undefined): string => (version === undefined ? id : `${id}@${version}`);
const idOf = (key: string): string => key.split("@", 1)[0]!;

/**
 * Puts a {@link createTieredCache} between the factory and its source. Keys are the
 * template id (its highest version) and `id@version`. Whatever comes up from a lower
 * tier is parsed, checked to be the template asked for (a valid template planted under
 * another key is refused), and verified before it reaches L1.
 * @internal
 */
export function createTemplateCache(
  source: TemplateSource,
  trust: TemplateVerifier | undefined,
  options: TemplateCacheOptions,
  onRemoteInvalidation: (ids: string[]) => void,
): TemplateCache {
  const known = new Map<string, Set<string>>();
  const remember = (key: string): void => {
    const id = idOf(key);
    const keys = known.get(id) ?? new Set<string>();
    known.set(id, keys);
    keys.add(key);
  };
  const check = async (template: AgentTemplate, key: string, location: string, signal?: AbortSignal) => {
    const [id, version] = key.split("@") as [string, string | undefined];
    if (template.id !== id || (version !== undefined && template.version !== version)) {
      throw new NextGenError(
        "NG_ERR_SOURCE_ID_MISMATCH",
        `${location} holds ${template.id}@${template.version}, but was cached as ${key}.`,
      );
    }
    if (trust) await trust.verify(template, signal === undefined ? {} : { signal });
    return deepFreeze(template);
  };
  const cache: TieredCache<AgentTemplate> = createTieredCache<AgentTemplate>({
    ...options,
    layers: options.layers ?? [],
    load: async (key, { signal }) => {
      const [id, version] = key.split("@") as [string, string | undefined];
      const entry = await source.get(id, version, signal === undefined ? {} : { signal });
      if (entry === undefined) return undefined;
      const template = parseTemplate(entry.bytes, { location: entry.location });
      if (template.id !== entry.id || template.version !== entry.version) {
        throw new NextGenError(
          "NG_ERR_SOURCE_ID_MISMATCH",
          `${entry.location} holds ${template.id}@${template.version}, but the source served it as ${entry.id}@${entry.version}.`,
        );
      }
      return { value: await check(template, key, entry.location, signal), bytes: entry.bytes };
    },
    admit: async (bytes, context) => {
      const location = `cache tier ${context.tier}`;
      return check(parseTemplate(bytes, { location }), context.key, location, context.signal);
    },
    onRemoteInvalidation: (message) => {
      const ids = [...new Set(message.keys.map(idOf))];
      // The sender knew its own keys; drop every version this instance holds too.
      const extra = ids.flatMap((id) => [...(known.get(id) ?? [])]).filter((key) => !message.keys.includes(key));
      if (extra.length > 0) void cache.invalidate(extra, { broadcast: false }).catch(() => undefined);
      for (const id of ids) known.delete(id);
      onRemoteInvalidation(ids);
    },
  });

  return {
    async fetch(id, version, signal) {
      const key = keyOf(id, version);
      remember(key);
      return cache.get(key, signal === undefined ? {} : { signal });
    },
    async invalidate(ids, reason, broadcast = true) {
      const keys = ids.flatMap((id) => [id, ...(known.get(id) ?? [])]);
      for (const id of ids) known.delete(id);
      await cache.invalidate([...new Set(keys)], { reason, broadcast });
    },
    stats: () => cache.stats(),
    health: () => cache.health(),
    idle: () => cache.idle(),
    close: () => cache.close(),
  };
}
