import type { CacheTier } from "./cache-tier.js";
import type { InvalidationBus } from "./invalidation-bus.js";
import { callWithTimeout } from "./tier-call.js";
import type { TierHealth } from "./tiered-cache-options.js";

/**
 * Asks every tier (each within `timeoutMs`: a hung Redis must not hang the health
 * check) and the bus how they are; a tier without `health` counts as healthy.
 * @internal
 */
export async function tierHealthReport(
  tiers: readonly CacheTier[],
  bus: InvalidationBus | undefined,
  timeoutMs: number,
): Promise<TierHealth[]> {
  const report = await Promise.all(
    tiers.map(async (tier): Promise<TierHealth> => {
      const check = tier.health?.bind(tier);
      if (check === undefined) return { name: tier.name, status: "healthy" };
      return callWithTimeout<Omit<TierHealth, "name">>(tier.name, timeoutMs, () => check()).then(
        (health): TierHealth => ({ name: tier.name, ...health }),
        (error: unknown): TierHealth => ({ name: tier.name, status: "unhealthy", reason: (error as Error).message }),
      );
    }),
  );
  if (bus?.health !== undefined) {
    const health = await bus
      .health()
      .catch((error: unknown) => ({ status: "unhealthy" as const, reason: String(error) }));
    report.push({ name: "bus", ...health });
  }
  return report;
}
