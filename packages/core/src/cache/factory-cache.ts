import type { DiagnosticsLogger } from "../diagnostics/diagnostics-logger.js";
import { logReload } from "../diagnostics/log-diagnostics.js";
import type { AuditEvent } from "../diagnostics/payloads.js";
import { NextGenError } from "../errors/next-gen-error.js";
import type { AgentPool } from "../pool/factory-pool.js";
import type { TemplateSource } from "../source/template-source.js";
import type { AgentTemplate, TemplateDigest } from "../template/types.js";
import type { TemplateVerifier } from "../trust/template-verifier.js";
import { startHotReload } from "./hot-reload.js";
import { loadThroughPool, type PrewarmOptions, poolPathOf, validatePrewarmOptions } from "./prewarm-in-pool.js";
import { settleBounded } from "./settle-bounded.js";
import { createTemplateCache, type TemplateCache, type TemplateCacheOptions } from "./template-cache.js";

/** Templates a main-thread prewarm loads at once (see settle-bounded.ts for why not all). */
const PREWARM_CONCURRENCY = 64;

/**
 * The cache tiers, hot reload and bus options of `createAgentFactory`'s `cache` option.
 *
 * @example
 * ```ts
 * createAgentFactory({ source, trust, kinds, cache: { layers: [memoryTier(), fileTier({ dir })], ttlMs: 300_000, hotReload: true } });
 * ```
 */
export type FactoryCacheOptions = TemplateCacheOptions & {
  /**
   * Watch the source (`directorySource` can) and apply changes as they come: each
   * changed template is decoded, verified, validated and resolved first; a bad update
   * keeps the last good version. Agents already created keep their template.
   * @default false
   */
  hotReload?: boolean;
};

/**
 * What `factory.prewarm` did.
 *
 * @example
 * ```ts
 * const { loaded, failed } = await factory.prewarm(["security/auditor", "code/reviewer@2.0.0"]);
 * for (const miss of failed) console.warn(miss.id, miss.code);
 * ```
 */
export interface PrewarmReport {
  /** Ids (or `id@version`) now in the caches. */
  loaded: string[];
  /** Those that could not be loaded, with the error code. */
  failed: { id: string; code: string; message: string }[];
}

type Loaded = { template: { id: string; version: string; digest: TemplateDigest } };

/** What the factory hands to {@link attachFactoryCache}. @internal */
export interface FactoryCacheParts<L extends Loaded> {
  options: FactoryCacheOptions | undefined;
  source: TemplateSource;
  trust: TemplateVerifier | undefined;
  clock: () => number;
  /** Drops resolved templates whose chain contains one of `ids`. */
  invalidateResolved: (ids: string[]) => void;
  /** The factory's single-flight load of `id` (at `version`) into its resolved cache. */
  load: (id: string, version: string | undefined, loader?: () => Promise<L>) => Promise<L>;
  /** The whole pipeline from the source, bypassing every cache. */
  loadUncached: (id: string) => Promise<L>;
  /** Registers a health probe and a close hook. */
  probes: {
    push(
      probe: () => Promise<{
        name: string;
        status: "healthy" | "degraded" | "unhealthy";
        reason?: string;
        detail?: Record<string, unknown>;
      }>,
    ): unknown;
  };
  closers: { push(closer: () => Promise<void>): unknown };
  /** The factory's `logger`: hot-reload outcomes are written to it. */
  logger?: DiagnosticsLogger | undefined;
  /** The factory's agent pool, if it has one (for `prewarm(ids, { pool: true })`). */
  pool?: () => AgentPool | undefined;
  /** Loads `id` with `leaf` as its already-parsed template (verified again by the loader). */
  loadWithLeaf?: (id: string, version: string | undefined, leaf: AgentTemplate) => Promise<L>;
  /** The factory's audit sink, for hot-reload outcomes (the factory's `audit` option). */
  audit?: (event: AuditEvent) => void;
}

/** What the factory gets back. @internal */
export interface FactoryCache {
  /** Set as the loader's `fetch` when tiers are configured. */
  fetch: TemplateCache["fetch"] | undefined;
  prewarm(ids: readonly string[], options?: PrewarmOptions): Promise<PrewarmReport>;
}

/**
 * Wires the tiered cache, hot reload and `prewarm` into a factory, so that the
 * factory's own file only calls this once.
 * @internal
 */
export function attachFactoryCache<L extends Loaded>(parts: FactoryCacheParts<L>): FactoryCache {
  const options = parts.options ?? {};
  let tiers: TemplateCache | undefined;
  if (options.layers !== undefined) {
    tiers = createTemplateCache(parts.source, parts.trust, options, (ids) => parts.invalidateResolved(ids));
    const cache = tiers;
    parts.probes.push(async () => {
      const report = await cache.health();
      const bad = report.filter((tier) => tier.status !== "healthy");
      return {
        name: "cache",
        // A failing tier costs speed, not correctness: the source still answers.
        status: bad.length === 0 ? "healthy" : "degraded",
        ...(bad.length === 0
          ? {}
          : { reason: bad.map((tier) => `${tier.name}: ${tier.reason ?? tier.status}`).join("; ") }),
        detail: { tiers: report, stats: cache.stats() },
      };
    });
    parts.closers.push(() => cache.close());
  }

  const forget = async (id: string, reason: "updated" | "removed"): Promise<void> => {
    parts.invalidateResolved([id]);
    await tiers?.invalidate([id], reason);
  };
  if (options.hotReload === true && parts.source.watch !== undefined) {
    const reload = startHotReload<L>({
      watch: (listener) => parts.source.watch!(listener),
      validate: (id) => parts.loadUncached(id),
      swap: async (id, loaded) => {
        await forget(id, "updated");
        await parts.load(id, undefined, async () => loaded);
      },
      remove: (id) => forget(id, "removed"),
      clock: parts.clock,
      onOutcome: parts.logger === undefined ? undefined : (message) => logReload(parts.logger!, message),
      ...(parts.audit === undefined ? {} : { audit: parts.audit }),
    });
    parts.closers.push(async () => reload.stop());
  }

  return {
    fetch: tiers === undefined ? undefined : tiers.fetch,
    async prewarm(ids, prewarmOptions = {}): Promise<PrewarmReport> {
      const { pool, batchSize } = validatePrewarmOptions(prewarmOptions);
      const refs = ids.map((ref) => {
        const at = ref.indexOf("@");
        return at === -1 ? { id: ref, version: undefined } : { id: ref.slice(0, at), version: ref.slice(at + 1) };
      });
      const load = (id: string, version: string | undefined): Promise<L> => parts.load(id, version);
      const path = pool && parts.loadWithLeaf ? poolPathOf(parts.trust, parts.pool?.()) : undefined;
      const settled =
        path === undefined || parts.loadWithLeaf === undefined
          ? await settleBounded(refs, ({ id, version }) => load(id, version), PREWARM_CONCURRENCY)
          : await loadThroughPool(
              {
                source: parts.source,
                trust: parts.trust,
                pool: parts.pool?.(),
                clock: parts.clock,
                load,
                loadWithLeaf: parts.loadWithLeaf,
              },
              path,
              refs,
              batchSize,
            );
      const report: PrewarmReport = { loaded: [], failed: [] };
      settled.forEach((result, index) => {
        const ref = ids[index] as string;
        if (result.status === "fulfilled") {
          report.loaded.push(ref);
          return;
        }
        const error: unknown = result.reason;
        report.failed.push({
          id: ref,
          code: NextGenError.is(error) ? error.code : "UNKNOWN",
          message: error instanceof Error ? error.message : String(error),
        });
      });
      return report;
    },
  };
}
