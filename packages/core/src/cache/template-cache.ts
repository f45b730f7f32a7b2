import { type Clock, wallClock as defaultWallClock } from "../clock/clock.js";
import { assertServedIdentity } from "../source/identity-mismatch.js";
import { isSemver } from "../source/semver-compare.js";
import { assertTemplateId, isTemplateId } from "../source/template-id.js";
import type { SourceEntry, TemplateSource } from "../source/template-source.js";
import { deepFreeze } from "../template/merge-layer.js";
import { parseTemplate } from "../template/parse-template.js";
import type { AgentTemplate } from "../template/types.js";
import type { TemplateVerifier } from "../trust/template-verifier.js";
import { BoundedMap } from "./bounded-map.js";
import type { TemplateCacheOptions } from "./cache-options.js";
import type { CachedTemplate } from "./cached-template.js";
import type { InProcessCache } from "./in-process-cache.js";
import type { InvalidationMessage } from "./invalidation-bus.js";
import type { SourceRead } from "./source-read.js";
import { type TieredCacheInternals, tieredCache } from "./tiered-cache.js";
import type { TieredCacheStats, TierHealth } from "./tiered-cache-options.js";

export type { TemplateCacheOptions } from "./cache-options.js";

/** The factory's one in-process cache of templates, over the tiers. @internal */
export interface TemplateCache<B> {
  /** The cached template for `id` (at `version`) when it is in process and fresh; the warm path. */
  peek(id: string, version: string | undefined): CachedTemplate<B> | undefined;
  /**
   * The in-process cache itself: `l1.fresh(key)` is `peek` by key (`id`, or `id@version`)
   * as one call of a class method, which stays inlinable when a process has several factories.
   */
  readonly l1: Pick<InProcessCache<CachedTemplate<B>>, "fresh">;
  /**
   * Like `source.get` + parse + verify, through the in-process cache and the tiers
   * (single-flight per key); `undefined` when the source holds no such template.
   */
  fetch(
    id: string,
    version: string | undefined,
    signal: AbortSignal | undefined,
  ): Promise<CachedTemplate<B> | undefined>;
  /**
   * `fetch` followed by `then`, where every caller of a key that is loading gets the same
   * promise of `then`'s result (run once): a stampede of creates waits on one promise for
   * the whole load → verify → resolve pipeline. `then` gets the entry before the verdict
   * check (it checks with {@link TemplateCache.holds} and calls `fetch` when that fails);
   * every caller of a key must pass an equivalent `then`, and it may `fetch` but not `lookup`.
   */
  lookup<R>(
    id: string,
    version: string | undefined,
    then: (entry: CachedTemplate<B> | undefined) => Promise<R>,
  ): Promise<R>;
  /**
   * Runs `use` while a load of `id` (at `version`) takes `read` instead of reading the
   * source: what a caller read already is not read twice. Parsed (unless `read` has the
   * parse), identity-checked and verified as any load; forgotten when `use` settles.
   */
  withRead<R>(id: string, version: string | undefined, read: SourceRead, use: () => Promise<R>): Promise<R>;
  /** Whether `entry`'s verdict (signature `exp`, key `notAfter`) still holds. */
  holds(entry: CachedTemplate<B>): boolean;
  /**
   * Drops every cached version of `ids`, and every template resolved through one of them,
   * here and, unless `broadcast` is false, on other instances.
   */
  invalidate(ids: readonly string[], reason: InvalidationMessage["reason"], broadcast?: boolean): Promise<void>;
  /** Drops `entry` from the in-process cache only (its verdict expired: verify again). */
  expire(entry: CachedTemplate<B>): void;
  /** The invalidation generation: a resolution that started under an older one is not kept. */
  generation(): number;
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
 * The factory's one in-process cache of templates: a tiered cache between the factory and its source. Keys are the
 * template id (its highest version) and `id@version`. Which version is the highest is
 * the source's answer only: the id key lives in L1 alone, and lower tiers (shared,
 * untrusted) hold `id@version` entries, so a planted older version cannot become
 * "latest". Whatever comes up from a lower tier is parsed, checked to be the template
 * asked for (a valid template planted under another key is refused), and verified
 * before it reaches L1. Every cached template keeps the time its verdict holds until
 * (signature `exp`, key `notAfter`); after it, it is verified again.
 * @internal
 */
export function createTemplateCache<B>(
  source: TemplateSource,
  trust: TemplateVerifier | undefined,
  options: TemplateCacheOptions,
  verdictClock?: Clock,
): TemplateCache<B> {
  const known = new BoundedMap<string, Set<string>>(MAX_KNOWN_IDS);
  // Keys that held a template, remembered when loaded (not on every hit): ids are validated
  // before they get here.
  const remember = (key: string): void => {
    const id = idOf(key);
    const keys = known.get(id) ?? new Set<string>();
    known.set(id, keys);
    keys.add(key);
  };
  const wallClock = options.clock ?? verdictClock ?? defaultWallClock;
  const check = async (
    template: AgentTemplate,
    key: string,
    location: string,
    signal?: AbortSignal,
  ): Promise<CachedTemplate<B>> => {
    const [id, version] = key.split("@") as [string, string | undefined];
    assertServedIdentity(template, { id, version, location }, `was cached as ${key}`);
    // Frozen before it is verified: what was verified (and its digest) is what gets cached.
    const frozen = deepFreeze(template);
    const verified = trust ? await trust.verify(frozen, signal === undefined ? {} : { signal }) : undefined;
    return {
      template: frozen,
      validUntilMs: verified?.validUntilMs ?? Number.POSITIVE_INFINITY,
      resolved: undefined,
      chainIds: undefined,
      bindings: new Map(),
      warm: undefined,
    };
  };
  // Reads handed over by `withRead`, taken by the next load of their key.
  const reads = new Map<string, SourceRead>();
  const fromEntry = async (
    entry: SourceEntry,
    key: string,
    signal: AbortSignal | undefined,
    parsed?: AgentTemplate,
  ) => {
    const template = parsed ?? parseTemplate(entry.bytes, { location: entry.location });
    assertServedIdentity(template, entry, `the source served it as ${entry.id}@${entry.version}`);
    return check(template, key, entry.location, signal);
  };
  const dropDependents = (ids: readonly string[]): void => {
    cache.dropWhere((entry) => entry.chainIds?.some((id) => ids.includes(id)) === true);
  };
  const cache: TieredCacheInternals<CachedTemplate<B>> = tieredCache<CachedTemplate<B>>({
    ...options,
    layers: options.layers ?? [],
    // "Latest" (a bare id) is decided by the source, never by a shared tier.
    shared: (key) => key.includes("@"),
    load: async (key, { signal }) => {
      const [id, version] = key.split("@") as [string, string | undefined];
      const sourceOptions = signal === undefined ? {} : { signal };
      const read = reads.get(key);
      if (read !== undefined) {
        reads.delete(key);
        const value = await fromEntry(read.entry, key, signal, read.template);
        remember(key);
        remember(`${id}@${value.template.version}`);
        return version === undefined
          ? { value, bytes: read.entry.bytes, alsoAs: [`${id}@${value.template.version}`] }
          : { value, bytes: read.entry.bytes };
      }
      if (version === undefined && source.latest !== undefined) {
        // The source names the latest version; unless it read the bytes on the way, the
        // tiers then serve that exact version, and the id shares its cached template.
        const latest = await source.latest(id, sourceOptions);
        if (latest === undefined) return undefined;
        const exact = `${id}@${latest.version}`;
        if (latest.entry === undefined) {
          const value = await cache.get(exact, sourceOptions);
          if (value !== undefined) remember(key);
          return value === undefined ? undefined : { value, bytes: new Uint8Array(0) };
        }
        const value = await fromEntry(latest.entry, key, signal);
        remember(key);
        remember(exact);
        return { value, bytes: latest.entry.bytes, alsoAs: [exact] };
      }
      const entry = await source.get(id, version, sourceOptions);
      if (entry === undefined) return undefined;
      const value = await fromEntry(entry, key, signal);
      remember(key);
      remember(`${id}@${value.template.version}`);
      // The version the source called latest is cached (and shared) under its own key too.
      return version === undefined
        ? { value, bytes: entry.bytes, alsoAs: [`${id}@${value.template.version}`] }
        : { value, bytes: entry.bytes };
    },
    admit: async (bytes, context) => {
      const location = `cache tier ${context.tier}`;
      const value = await check(parseTemplate(bytes, { location }), context.key, location, context.signal);
      remember(context.key);
      return value;
    },
    onRemoteInvalidation: (message) => {
      if (message.all === true) {
        // The bus may have missed messages: forget every id this instance holds.
        known.clear();
        return;
      }
      // Only ids this instance loaded: a forged message naming 20,000 others costs nothing.
      const ids = [...new Set(message.keys.map(idOf))].filter((id) => isTemplateId(id) && known.has(id));
      if (ids.length === 0) return;
      // The sender knew its own keys; drop every version this instance holds too.
      const extra = ids.flatMap((id) => [...(known.get(id) ?? [])]).filter((key) => !message.keys.includes(key));
      if (extra.length > 0) void cache.invalidate(extra, { broadcast: false }).catch(() => undefined);
      for (const id of ids) known.delete(id);
      dropDependents(ids);
    },
  });

  const holds = (entry: CachedTemplate<B>): boolean =>
    entry.validUntilMs === Number.POSITIVE_INFINITY || wallClock.now() < entry.validUntilMs;

  return {
    peek: (id, version) => cache.holding(keyOf(id, version)),
    l1: cache.l1,
    async fetch(id, version, signal) {
      assertTemplateId(id);
      if (version !== undefined && !isSemver(version)) return undefined;
      const options = signal === undefined ? {} : { signal };
      const key = keyOf(id, version);
      let entry = await cache.get(key, options);
      // One compare per cold fetch: an expired signature or key sends it back through verify.
      if (entry !== undefined && !holds(entry)) {
        await cache.invalidate([key, `${id}@${entry.template.version}`], { broadcast: false });
        entry = await cache.get(key, options);
      }
      return entry;
    },
    lookup(id, version, then) {
      if (!isTemplateId(id) || (version !== undefined && !isSemver(version))) {
        return this.fetch(id, version, undefined).then(then);
      }
      return cache.getThen(keyOf(id, version), then);
    },
    async withRead(id, version, read, use) {
      const key = keyOf(id, version);
      reads.set(key, read);
      try {
        return await use();
      } finally {
        if (reads.get(key) === read) reads.delete(key);
      }
    },
    holds,
    async invalidate(ids, reason, broadcast = true) {
      const keys = ids.flatMap((id) => [id, ...(known.get(id) ?? [])]);
      for (const id of ids) known.delete(id);
      dropDependents(ids);
      await cache.invalidate([...new Set(keys)], { reason, broadcast });
    },
    expire(entry) {
      cache.dropWhere((held) => held === entry);
    },
    generation: () => cache.generation(),
    stats: () => cache.stats(),
    health: () => cache.health(),
    idle: () => cache.idle(),
    close: () => cache.close(),
  };
}
