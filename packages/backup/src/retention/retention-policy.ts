import { NextGenError, type TemplateTier } from "@nextgen/core";
import type { BackupErrorCode } from "../errors/backup-error-codes.js";
import { assertTimeZone, type CalendarDuration, parseCalendarDuration } from "./calendar.js";

/**
 * Which backups to keep, with `restic forget` semantics. A backup is kept when any rule
 * keeps it; then the per-tier maximum age removes anything older, except the newest
 * verified backup, which is never removed.
 *
 * @example
 * ```ts
 * // restic forget --keep-daily 7 --keep-weekly 5 --keep-monthly 12, plus the tier maximum ages.
 * const policy: RetentionPolicy = { keepDaily: 7, keepWeekly: 5, keepMonthly: 12 };
 * await backups.prune({ policy, dryRun: true });
 * ```
 */
export interface RetentionPolicy {
  /** Keep the n most recent backups. `Infinity` (or -1) keeps all. */
  readonly keepLast?: number;
  /** For the last n hours that have backups, keep the most recent of each hour. */
  readonly keepHourly?: number;
  /** For the last n days that have backups, keep the most recent of each day. */
  readonly keepDaily?: number;
  /** For the last n ISO weeks (Monday–Sunday) that have backups, keep the most recent of each. */
  readonly keepWeekly?: number;
  /** For the last n months that have backups, keep the most recent of each month. */
  readonly keepMonthly?: number;
  /** For the last n years that have backups, keep the most recent of each year. */
  readonly keepYearly?: number;
  /** Keep every backup within this duration (`"1y5m7d2h"`) of the newest backup, as restic. */
  readonly keepWithin?: string;
  /**
   * Time zone whose calendar defines hours, days, weeks, months and years (IANA name).
   * @default "UTC"
   */
  readonly timeZone?: string;
  /**
   * Maximum age per tier in days; older backups are removed whatever the keep rules say.
   * @default { critical: 365, production: 90, development: 30, temporary: 7 }
   */
  readonly maxAgeDays?: Partial<Record<TemplateTier, number>>;
}

/**
 * Default maximum age per tier, in days: 1 year, 3 months, 1 month, 1 week.
 *
 * @example
 * ```ts
 * const policy: RetentionPolicy = { keepDaily: 7, maxAgeDays: { ...DEFAULT_MAX_AGE_DAYS, temporary: 2 } };
 * ```
 */
export const DEFAULT_MAX_AGE_DAYS: Readonly<Record<TemplateTier, number>> = Object.freeze({
  critical: 365,
  production: 90,
  development: 30,
  temporary: 7,
});

/** The calendar rules, newest-bucket-first order of evaluation. */
export const BUCKET_RULES = ["keepLast", "keepHourly", "keepDaily", "keepWeekly", "keepMonthly", "keepYearly"] as const;

/** A checked policy. */
export interface NormalizedPolicy {
  readonly counts: Readonly<Record<(typeof BUCKET_RULES)[number], number>>;
  readonly within: CalendarDuration | undefined;
  readonly withinText: string | undefined;
  readonly timeZone: string;
  readonly maxAgeDays: Readonly<Record<TemplateTier, number>>;
}

function fail(message: string): never {
  throw new NextGenError<BackupErrorCode>("NG_ERR_BACKUP_RETENTION_POLICY", message);
}

/** Validates a policy; refuses an empty one (no keep rule), like restic. */
export function normalizePolicy(policy: RetentionPolicy): NormalizedPolicy {
  const counts = {} as Record<(typeof BUCKET_RULES)[number], number>;
  let rules = 0;
  for (const rule of BUCKET_RULES) {
    const value = policy[rule] ?? 0;
    if (value === -1 || value === Number.POSITIVE_INFINITY) counts[rule] = Number.POSITIVE_INFINITY;
    else if (Number.isInteger(value) && value >= 0) counts[rule] = value;
    else fail(`policy.${rule} must be a non-negative integer, -1 or Infinity; got ${String(value)}.`);
    if (counts[rule] !== 0) rules++;
  }
  const within = policy.keepWithin === undefined ? undefined : parseCalendarDuration(policy.keepWithin);
  if (within !== undefined) rules++;
  if (rules === 0)
    fail("The retention policy is empty: give at least one keep rule (keepLast, keepDaily, …, keepWithin).");
  const maxAgeDays = { ...DEFAULT_MAX_AGE_DAYS, ...policy.maxAgeDays };
  for (const [tier, days] of Object.entries(maxAgeDays)) {
    if (!(typeof days === "number" && days > 0)) fail(`policy.maxAgeDays.${tier} must be a positive number of days.`);
  }
  const timeZone = policy.timeZone ?? "UTC";
  assertTimeZone(timeZone);
  return { counts, within, withinText: policy.keepWithin, timeZone, maxAgeDays };
}
