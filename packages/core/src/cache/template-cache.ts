import { LRUCache } from "lru-cache";
import { wallClock as defaultWallClock } from "../clock/clock.js";
import { assertServedIdentity } from "../source/identity-mismatch.js";
import { isSemver } from "../source/semver-compare.js";
import { assertTemplateId, isTemplateId } from "../source/template-id.js";
import type { SourceEntry, TemplateSource } from "../source/template-source.js";
import { deepFreeze } from "../template/merge-layer.js";
import { parseTemplate } from "../template/parse-template.js";
import type { AgentTemplate } from "../template/types.js";
import type { TemplateVerifier } from "../trust/template-verifier.js";
import type { TemplateCacheOptions } from "./cache-options.js";
import type { InvalidationMessage } from "./invalidation-bus.js";
import { createTieredCache } from "./tiered-cache.js";
import type { TieredCache, TieredCacheStats, TierHealth } from "./tiered-cache-options.js";

export type { TemplateCacheOptions } from "./cache-options.js";

/** The tiered cache of source templates a factory reads through. @internal */
export interface TemplateCache {
  /** Like `source.get` + parse + verify, through the tiers; with the time the verdict holds until. */
  fetch(
    id: string,
    version: string | undefined,
    signal: AbortSignal | undefined,
  ): Promise<{ template: AgentTemplate; validUntilMs: number } | undefined>;
  /** Drops every cached version of `ids` here and, unless `broadcast` is false, on other instances. */
  invalidate(ids: readonly string[], reason: InvalidationMessage["reason"], broadcast?: boolean): Promise<void>;
  stats(): TieredCacheStats;
  health(): Promise<TierHealth[]>;
  idle(): Promise<void>;
  close(): Promise<void>;
}

const keyOf = (id: string, version: string | undefined): string => (version === undefined ? id : `${id}@${version}`);
const idOf = (key: string): string => key.split("@", 1)[0]!;
// Ids remembered for invalidation (bounded: a flood of distinct ids cannot grow it).
const MAX_KNOWN_IDS = 10_000;

/**
 * Puts a {@link createTieredCache} between the factory and its source. Keys are the
 * template id (its highest version) and `id@version`. Which version is the highest is
 * the source's answer only: the id key lives in L1 alone, and lower tiers (shared,
 * untrusted) hold `id@version` entries, so a planted older version cannot become
 * "latest". Whatever comes up from a lower tier is parsed, checked to be the template
 * asked for (a valid template planted under another key is refused), and verified
 * before it reaches L1. Every cached template keeps the time its verdict holds until
 * (signature `exp`, key `notAfter`); after it, it is verified again.
 * @internal
 */
export function createTemplateCache(
  source: TemplateSource,
  trust: TemplateVerifier | undefined,
  options: TemplateCacheOptions,
  onRemoteInvalidation: (ids: string[]) => void,
): TemplateCache {
  const known = new LRUCache<string, Set<string>>({ max: MAX_KNOWN_IDS });
  // Only keys that held a template: ids are validated before they get here.
  const remember = (key: string): void => {
    const id = idOf(key);
    const keys = known.get(id) ?? new Set<string>();
    known.set(id, keys);
    keys.add(key);
  };
  const wallClock = options.clock ?? defaultWallClock;
  // Entries `source.latest` read on its way to the version, for the load that follows (bounded).
  const prefetched = new LRUCache<string, SourceEntry>({ max: 1_000 });
  const validUntil = new WeakMap<AgentTemplate, number>();
  const check = async (template: AgentTemplate, key: string, location: string, signal?: AbortSignal) => {
    const [id, version] = key.split("@") as [string, string | undefined];
    assertServedIdentity(template, { id, version, location }, `was cached as ${key}`);
    const verified = trust ? await trust.verify(template, signal === undefined ? {} : { signal }) : undefined;
    const frozen = deepFreeze(template);
    validUntil.set(frozen, verified?.validUntilMs ?? Number.POSITIVE_INFINITY);
    return frozen;
  };
  const cache: TieredCache<AgentTemplate> = createTieredCache<AgentTemplate>({
    ...options,
    layers: options.layers ?? [],
    // "Latest" (a bare id) is decided by the source, never by a shared tier.
    shared: (key) => key.includes("@"),
    load: async (key, { signal }) => {
      const [id, version] = key.split("@") as [string, string | undefined];
      const ready = prefetched.get(key);
      prefetched.delete(key);
      const entry = ready ?? (await source.get(id, version, signal === undefined ? {} : { signal }));
      if (entry === undefined) return undefined;
      const template = parseTemplate(entry.bytes, { location: entry.location });
      assertServedIdentity(template, entry, `the source served it as ${entry.id}@${entry.version}`);
      const value = await check(template, key, entry.location, signal);
      // The version the source called latest is cached (and shared) under its own key too.
      return version === undefined
        ? { value, bytes: entry.bytes, alsoAs: [`${id}@${template.version}`] }
        : { value, bytes: entry.bytes };
    },
    admit: async (bytes, context) => {
      const location = `cache tier ${context.tier}`;
      return check(parseTemplate(bytes, { location }), context.key, location, context.signal);
    },
    onRemoteInvalidation: (message) => {
      if (message.all === true) {
        // The bus may have missed messages: forget every id this instance holds.
        const ids = [...known.keys()];
        known.clear();
        onRemoteInvalidation(ids);
        return;
      }
      // Only ids this instance loaded: a forged message naming 20,000 others costs nothing.
      const ids = [...new Set(message.keys.map(idOf))].filter((id) => isTemplateId(id) && known.has(id));
      if (ids.length === 0) return;
      // The sender knew its own keys; drop every version this instance holds too.
      const extra = ids.flatMap((id) => [...(known.get(id) ?? [])]).filter((key) => !message.keys.includes(key));
      if (extra.length > 0) void cache.invalidate(extra, { broadcast: false }).catch(() => undefined);
      for (const id of ids) known.delete(id);
      onRemoteInvalidation(ids);
    },
  });

  return {
    async fetch(id, requested, signal) {
      assertTemplateId(id);
      if (requested !== undefined && !isSemver(requested)) return undefined;
      const options = signal === undefined ? {} : { signal };
      // The source says which version is the latest; the tiers then serve that exact version.
      let version = requested;
      if (version === undefined && source.latest !== undefined) {
        const latest = await source.latest(id, options);
        if (latest === undefined) return undefined;
        version = latest.version;
        // Read already (to learn its version): the load below uses these bytes, not a second read.
        if (latest.entry !== undefined) prefetched.set(keyOf(id, version), latest.entry);
      }
      const key = keyOf(id, version);
      let template: AgentTemplate | undefined;
      try {
        template = await cache.get(key, options);
        // One compare per cold fetch: an expired signature or key sends it back through verify.
        if (template !== undefined && !(wallClock.now() < (validUntil.get(template) ?? Number.POSITIVE_INFINITY))) {
          await cache.invalidate([key, `${id}@${template.version}`], { broadcast: false });
          template = await cache.get(key, options);
        }
      } finally {
        // Never left for a later load: those bytes answered this fetch only.
        prefetched.delete(key);
      }
      if (template === undefined) return undefined;
      remember(key);
      remember(`${id}@${template.version}`);
      return { template, validUntilMs: validUntil.get(template) ?? Number.POSITIVE_INFINITY };
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
