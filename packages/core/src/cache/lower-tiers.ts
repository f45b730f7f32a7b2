import { plain, publish } from "../diagnostics/publish.js";
import { errorCode } from "../errors/uncoded-error.js";
import type { CacheTier } from "./cache-tier.js";
import { lookupStarted, publishLookup } from "./lookup-diagnostics.js";
import { PendingWrites } from "./pending-writes.js";
import { callWithTimeout } from "./tier-call.js";
import type { AdmitContext, TierStats } from "./tiered-cache-options.js";

/** What {@link LowerTiers} needs from the tiered cache. @internal */
export interface LowerTiersParts<T> {
  /** The byte tiers below L1, fastest first. */
  readonly tiers: readonly CacheTier[];
  /** Counters of every level; index 0 is L1, so tier `i` counts in `stats[i + 1]`. */
  readonly stats: readonly TierStats[];
  readonly admit: (bytes: Uint8Array, context: AdmitContext) => Promise<T>;
  readonly tierTimeoutMs: number;
  readonly lowerTtlMs: number | undefined;
  readonly clock: () => number;
  /** The cache's invalidation generation: work started under an older one must not land. */
  readonly generation: () => number;
}

/** What {@link LowerTiers.read} found: the admitted value, its bytes and the tier index. @internal */
export interface LowerHit<T> {
  readonly value: T;
  readonly bytes: Uint8Array;
  readonly index: number;
}

/**
 * The untrusted byte tiers under L1. Everything read from them goes through `admit`
 * (verify) again and is refused and evicted when it fails; every call has a time limit
 * and a failing tier is skipped and counted, never surfaced. Writes run in the
 * background and are tracked per key, so that an invalidation can wait for them.
 * @internal
 */
export class LowerTiers<T> {
  readonly #parts: LowerTiersParts<T>;
  readonly #pendingWrites = new PendingWrites();

  constructor(parts: LowerTiersParts<T>) {
    this.#parts = parts;
  }

  /** The first tier whose entry for `key` is admitted, or `undefined`. */
  async read(key: string, signal?: AbortSignal): Promise<LowerHit<T> | undefined> {
    const { tiers, stats, tierTimeoutMs, admit, clock } = this.#parts;
    for (let index = 0; index < tiers.length; index += 1) {
      const tier = tiers[index]!;
      const counters = stats[index + 1]!;
      const lookup = (result: "hit" | "miss" | "error" | "refused", started: number, ageMs?: number): void =>
        publishLookup(tier.name, index + 1, key, result, started, ageMs);
      const started = lookupStarted();
      let entry: Awaited<ReturnType<CacheTier["get"]>>;
      try {
        entry = await callWithTimeout(
          tier.name,
          tierTimeoutMs,
          (tierSignal) => tier.get(key, { signal: tierSignal }),
          signal,
        );
      } catch {
        counters.errors += 1;
        lookup("error", started);
        continue;
      }
      if (entry === undefined) {
        counters.misses += 1;
        lookup("miss", started);
        continue;
      }
      let value: T;
      try {
        value = await admit(
          entry.value,
          signal === undefined ? { key, tier: tier.name } : { key, tier: tier.name, signal },
        );
      } catch (error) {
        counters.refused += 1;
        lookup("refused", started);
        await this.#refuse(tier, key, error);
        continue;
      }
      counters.hits += 1;
      lookup("hit", started, clock() - entry.storedAt);
      return { value, bytes: entry.value, index };
    }
    return undefined;
  }

  /** Writes `bytes` to the tiers above `upToIndex` (exclusive), unless `key` was invalidated since `since`. */
  writeBack(key: string, bytes: Uint8Array, upToIndex: number, since: number): void {
    const { tiers, stats, tierTimeoutMs, lowerTtlMs, generation } = this.#parts;
    for (let index = 0; index < Math.min(upToIndex, tiers.length); index += 1) {
      const tier = tiers[index]!;
      this.#pendingWrites.track(key, async () => {
        if (generation() !== since) return;
        await callWithTimeout(tier.name, tierTimeoutMs, (signal) =>
          tier.set(key, bytes, lowerTtlMs === undefined ? { signal } : { signal, ttlMs: lowerTtlMs }),
        ).catch(() => {
          stats[index + 1]!.errors += 1;
        });
      });
    }
  }

  /** Deletes `keys` from every tier, after the background writes of those keys settled. */
  delete(keys: readonly string[]): Promise<void> {
    const { tiers, stats, tierTimeoutMs } = this.#parts;
    return Promise.all(
      keys.flatMap((key) => {
        const writes = this.#pendingWrites.settled(key);
        return tiers.map(async (tier, index) => {
          await writes;
          const deleted = await callWithTimeout(tier.name, tierTimeoutMs, (signal) =>
            tier.delete(key, { signal }),
          ).catch(() => {
            stats[index + 1]!.errors += 1;
            return false;
          });
          if (deleted) publish(plain.cacheEvict, () => ({ tier: tier.name, key, reason: "invalidated" }));
        });
      }),
    ).then(() => undefined);
  }

  /** Resolves when background writes have settled. */
  idle(): Promise<void> {
    return this.#pendingWrites.idle();
  }

  async #refuse(tier: CacheTier, key: string, error: unknown): Promise<void> {
    const { clock, tierTimeoutMs } = this.#parts;
    publish(plain.cacheEvict, () => ({ tier: tier.name, key, reason: "refused" }));
    publish(plain.audit, () => ({
      type: "cache.refuse",
      time: clock(),
      verdict: "refused",
      // A code or an error class name, never a message: an uncoded parser's message can quote tier bytes.
      reason: errorCode(error),
      detail: { tier: tier.name, key },
    }));
    await callWithTimeout(tier.name, tierTimeoutMs, (signal) => tier.delete(key, { signal })).catch(() => undefined);
  }
}
