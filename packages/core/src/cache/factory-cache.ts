import type { Clock } from "../clock/clock.js";
import type { DiagnosticsLogger } from "../diagnostics/diagnostics-logger.js";
import { logReload } from "../diagnostics/log-diagnostics.js";
import type { AuditEvent } from "../diagnostics/payloads.js";
import { errorCode } from "../errors/uncoded-error.js";
import type { ComponentHealth } from "../factory/factory-types.js";
import type { AgentPool } from "../pool/agent-pool-types.js";
import type { TemplateSource } from "../source/template-source.js";
import type { TemplateDigest } from "../template/types.js";
import type { TemplateVerifier } from "../trust/template-verifier.js";
import type { FactoryCacheOptions, PrewarmReport } from "./cache-options.js";
import { startHotReload } from "./hot-reload.js";
import { memoryTier, memoryTierSettings } from "./memory-tier.js";
import { loadThroughPool, validatePrewarmOptions } from "./prewarm-in-pool.js";
import type { PrewarmOptions } from "./prewarm-options.js";
import { settleBounded } from "./settle-bounded.js";
import type { SourceRead } from "./source-read.js";
import { createTemplateCache, type TemplateCache } from "./template-cache.js";

/** Templates a main-thread prewarm loads at once (see settle-bounded.ts for why not all). */
const PREWARM_CONCURRENCY = 64;

export type { FactoryCacheOptions, PrewarmReport } from "./cache-options.js";

type Loaded = { template: { id: string; version: string; digest: TemplateDigest } };

/**
 * The factory's one in-process template cache, over the `cache` option's tiers. The
 * in-process cache holds `cache.maxEntries` keys (default 1000, or a `memoryTier` of the
 * layers'); without `layers`, "not found" is not remembered unless `notFoundTtlMs` says so.
 * Verdict bounds are checked on `cache.clock`, else on the factory's `verdictClock`.
 * @internal
 */
export function factoryTemplateCache<B>(
  options: FactoryCacheOptions | undefined,
  source: TemplateSource,
  trust: TemplateVerifier | undefined,
  verdictClock: Clock,
): TemplateCache<B> {
  const { maxEntries, hotReload: _hotReload, ...tiered } = options ?? {};
  const layers = tiered.layers ?? [];
  const sized = maxEntries ?? (layers.some((tier) => memoryTierSettings(tier) !== undefined) ? undefined : 1000);
  return createTemplateCache<B>(
    source,
    trust,
    {
      ...tiered,
      notFoundTtlMs: tiered.notFoundTtlMs ?? (tiered.layers === undefined ? 0 : 1_000),
      // The first memoryTier of the layers sizes the in-process cache: this one, when maxEntries is set.
      layers: sized === undefined ? layers : [memoryTier({ maxEntries: sized }), ...layers],
    },
    verdictClock,
  );
}

/** What the factory hands to {@link attachFactoryCache}. @internal */
export interface FactoryCacheParts<L extends Loaded, B> {
  options: FactoryCacheOptions | undefined;
  /** The factory's one template cache ({@link factoryTemplateCache}). */
  cache: TemplateCache<B>;
  source: TemplateSource;
  trust: TemplateVerifier | undefined;
  /** The factory's clock (wall time: audit events). */
  clock: Clock;
  /** The factory's load of `id` (at `version`) through its cache, resolved and bound. */
  load: (id: string, version: string | undefined) => Promise<L>;
  /** The whole pipeline from the source, bypassing every cache, with what it read. */
  loadUncached: (id: string) => Promise<{ loaded: L; read: SourceRead }>;
  /** The factory's `load`, with what the caller read from the source already (not read again). */
  loadRead: (id: string, version: string | undefined, read: SourceRead) => Promise<L>;
  /** The factory's `logger`: hot-reload outcomes are written to it. */
  logger?: DiagnosticsLogger | undefined;
  /** The factory's agent pool, if it has one (for `prewarm(ids, { pool: true })`). */
  pool?: () => AgentPool | undefined;
  /** The factory's audit sink, for hot-reload outcomes (the factory's `audit` option). */
  audit?: (event: AuditEvent) => void;
}

/** What the factory gets back: its cache's parts, to call, probe and close. @internal */
export interface FactoryCache {
  /** `factory.prewarm`. */
  prewarm(ids: readonly string[], options?: PrewarmOptions): Promise<PrewarmReport>;
  /** The tiers' health for `factory.health()`, when tiers are configured. */
  readonly probe: (() => Promise<ComponentHealth>) | undefined;
  /** Stops hot reload and closes the cache and its tiers (part of `factory.close()`). Idempotent. */
  close(): Promise<void>;
}

/**
 * Wires the cache's health, hot reload and `prewarm` into a factory, so that the
 * factory's own file only calls this once.
 * @internal
 */
export function attachFactoryCache<L extends Loaded, B>(parts: FactoryCacheParts<L, B>): FactoryCache {
  const options = parts.options ?? {};
  const cache = parts.cache;
  let probe: FactoryCache["probe"];
  if (options.layers !== undefined) {
    probe = async () => {
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
    };
  }

  const forget = (id: string, reason: "updated" | "removed"): Promise<void> => cache.invalidate([id], reason);
  let reload: { stop(): void } | undefined;
  if (options.hotReload === true && parts.source.watch !== undefined) {
    reload = startHotReload<{ template: L["template"]; read: SourceRead }>({
      watch: (listener) => parts.source.watch!(listener),
      validate: (id) => parts.loadUncached(id).then(({ loaded, read }) => ({ template: loaded.template, read })),
      // The update passed the whole pipeline: drop the old version everywhere, then load
      // the bytes just checked (not a second read) into the cache so that the next create is warm.
      swap: async (id, { read }) => {
        await forget(id, "updated");
        await parts.loadRead(id, undefined, read);
      },
      remove: (id) => forget(id, "removed"),
      clock: parts.clock,
      onOutcome: parts.logger === undefined ? undefined : (message) => logReload(parts.logger!, message),
      ...(parts.audit === undefined ? {} : { audit: parts.audit }),
    });
  }
  let closing: Promise<void> | undefined;

  return {
    probe,
    close(): Promise<void> {
      closing ??= (async () => {
        reload?.stop();
        await cache.close();
      })();
      return closing;
    },
    async prewarm(ids, prewarmOptions = {}): Promise<PrewarmReport> {
      const { pool, batchSize } = validatePrewarmOptions(prewarmOptions);
      const refs = ids.map((ref) => {
        const at = ref.indexOf("@");
        return at === -1 ? { id: ref, version: undefined } : { id: ref.slice(0, at), version: ref.slice(at + 1) };
      });
      const load = (id: string, version: string | undefined): Promise<L> => parts.load(id, version);
      const agentPool = pool ? parts.pool?.() : undefined;
      const settled =
        agentPool === undefined
          ? await settleBounded(refs, ({ id, version }) => load(id, version), PREWARM_CONCURRENCY)
          : await loadThroughPool(
              { source: parts.source, pool: agentPool, load, loadRead: parts.loadRead },
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
          code: errorCode(error),
          message: error instanceof Error ? error.message : String(error),
        });
      });
      return report;
    },
  };
}
