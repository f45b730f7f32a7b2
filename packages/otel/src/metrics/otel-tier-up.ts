import type { Attributes, Meter, ObservableResult } from "@opentelemetry/api";
import { readCacheTierHealth, tierUpTracker } from "./tier-up-tracker.js";

/** What the metric sink feeds into `nextgen.cache.tier.up`. @internal */
export interface OtelTierUp {
  /** Records a lookup's outcome. */
  lookup(tier: string, failed: boolean): void;
  /** Removes the collection callback. */
  close(): void;
}

/**
 * `nextgen.cache.tier.up` as an observable gauge: the value each tier's lookups left, and,
 * with `health` (the factory), each tier's health check read at collection (within
 * `healthTimeoutMs`), by the same rule as the Prometheus gauge (see `tierUpTracker`).
 * @internal
 */
export function otelTierUp(
  meter: Meter,
  health: { health(): unknown } | undefined,
  healthTimeoutMs: number,
): OtelTierUp {
  const gauge = meter.createObservableGauge("nextgen.cache.tier.up", {
    description: "0 when the tier's last lookup failed or (with `health`) its health check did not pass, else 1.",
    unit: "1",
  });
  const tracker = tierUpTracker();
  const values = new Map<string, 0 | 1>();
  const attributesOf = new Map<string, Attributes>();
  const attributes = (tier: string): Attributes => {
    let found = attributesOf.get(tier);
    if (found === undefined) {
      found = { "nextgen.cache.tier": tier };
      attributesOf.set(tier, found);
    }
    return found;
  };
  const observe = async (result: ObservableResult): Promise<void> => {
    if (health !== undefined) {
      const tiers = await readCacheTierHealth(health, healthTimeoutMs);
      for (const [tier, up] of tracker.refresh(tiers ?? [])) values.set(tier, up);
    }
    for (const [tier, up] of values) result.observe(up, attributes(tier));
  };
  gauge.addCallback(observe);
  return {
    lookup: (tier, failed) => void values.set(tier, tracker.lookup(tier, failed)),
    close: () => gauge.removeCallback(observe),
  };
}
