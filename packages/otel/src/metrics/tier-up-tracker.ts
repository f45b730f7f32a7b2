/** One cache tier's state in a health report: its name and whether it is healthy. */
export interface TierHealthState {
  readonly name: string;
  readonly healthy: boolean;
}

/**
 * Decides `cache_tier_up` from two kinds of evidence: lookups (0 after a failed one, 1
 * after a good one) and the tiers' own health checks, read at each scrape. A health check
 * lets a tier recover without waiting for the next lookup (a warm service may not look
 * one up for hours) and shows a tier down before anyone looks; a lookup that failed since
 * the previous refresh keeps the tier at 0 even if its health check passes, so a tier that
 * answers pings but fails reads still reads as down.
 * @internal
 */
export interface TierUpTracker {
  /** Records a lookup; returns the value to set now (0 or 1). */
  lookup(tier: string, failed: boolean): 0 | 1;
  /** Folds a health report in; returns the value to set for each tier it names. */
  refresh(tiers: readonly TierHealthState[]): Array<readonly [tier: string, up: 0 | 1]>;
}

/** @internal */
export function tierUpTracker(): TierUpTracker {
  const failedSinceRefresh = new Set<string>();
  return {
    lookup: (tier, failed) => {
      if (failed) failedSinceRefresh.add(tier);
      else failedSinceRefresh.delete(tier);
      return failed ? 0 : 1;
    },
    refresh: (tiers) => {
      const values = tiers.map(
        (tier) => [tier.name, tier.healthy && !failedSinceRefresh.has(tier.name) ? 1 : 0] as const,
      );
      failedSinceRefresh.clear();
      return values;
    },
  };
}

/**
 * The cache tiers of a `factory.health()` report (the `cache` component's
 * `detail.tiers`; the invalidation bus is not a tier), read structurally; `[]` for
 * anything else. A tier is healthy only when it says `healthy`: a Redis tier that cannot
 * reach Redis reports `degraded`.
 * @internal
 */
export function cacheTiersOf(report: unknown): TierHealthState[] {
  const components = (report as { components?: unknown } | null | undefined)?.components;
  if (!Array.isArray(components)) return [];
  const tiers: TierHealthState[] = [];
  for (const component of components) {
    const { name, detail } = (component ?? {}) as { name?: unknown; detail?: { tiers?: unknown } };
    if (name !== "cache" || !Array.isArray(detail?.tiers)) continue;
    for (const tier of detail.tiers) {
      const { name: tierName, status } = (tier ?? {}) as { name?: unknown; status?: unknown };
      if (typeof tierName === "string" && tierName !== "bus") {
        tiers.push({ name: tierName, healthy: status === "healthy" });
      }
    }
  }
  return tiers;
}

/**
 * Reads the cache tiers' health, within `timeoutMs` (a scrape must not hang on a hung
 * health check); `undefined` when it fails or takes too long. Never throws.
 * @internal
 */
export async function readCacheTierHealth(
  source: { health(): unknown },
  timeoutMs: number,
): Promise<TierHealthState[] | undefined> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<undefined>((resolve) => {
    timer = setTimeout(resolve, timeoutMs, undefined);
    timer.unref?.();
  });
  try {
    const report = await Promise.race([Promise.resolve().then(() => source.health()), timeout]);
    return report === undefined ? undefined : cacheTiersOf(report);
  } catch {
    return undefined;
  } finally {
    clearTimeout(timer);
  }
}
