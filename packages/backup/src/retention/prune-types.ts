import type { RetentionPlan } from "./plan-retention.js";
import type { RetentionPolicy } from "./retention-policy.js";

/**
 * Options of `prune`.
 *
 * @example
 * ```ts
 * const options: PruneOptions = { policy: { keepDaily: 7, keepWeekly: 5 }, dryRun: true };
 * const { plan } = await backups.prune(options);
 * ```
 */
export interface PruneOptions {
  /** Which archives to keep. */
  readonly policy: RetentionPolicy;
  /** Report the plan without removing anything. */
  readonly dryRun?: boolean;
  /** Key used to verify encrypted archives when looking for the newest verified one. */
  readonly encryptionKey?: Uint8Array;
}

/**
 * Result of `prune`.
 *
 * @example
 * ```ts
 * const { removed }: PruneResult = await backups.prune({ policy: { keepLast: 10 } });
 * ```
 */
export interface PruneResult {
  readonly dryRun: boolean;
  readonly plan: RetentionPlan;
  /** Ids removed (empty on a dry run). */
  readonly removed: readonly string[];
}
