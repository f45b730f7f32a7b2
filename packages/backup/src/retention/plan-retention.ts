import type { TemplateTier } from "@nextgen/core";
import { calendarFields, isoWeek, subtractDuration } from "./calendar.js";
import { BUCKET_RULES, normalizePolicy, type RetentionPolicy } from "./retention-policy.js";

/**
 * A backup as retention sees it.
 *
 * @example
 * ```ts
 * const candidate: RetentionCandidate = { id: manifest.id, created: manifest.created, tier: manifest.tier };
 * ```
 */
export interface RetentionCandidate {
  /** Backup id. */
  readonly id: string;
  /** Creation time: ISO 8601 string or milliseconds since the epoch. */
  readonly created: string | number;
  /** Tier whose maximum age applies; no maximum age when absent. */
  readonly tier?: TemplateTier;
  /** Whether the backup passed `verify`; the newest verified one is never removed. */
  readonly verified?: boolean;
}

/**
 * The decision for one backup.
 *
 * @example
 * ```ts
 * const kept: readonly RetentionDecision[] = plan.keep;
 * for (const { id, reasons } of kept) console.log(id, reasons.join(", "));
 * ```
 */
export interface RetentionDecision {
  readonly id: string;
  readonly created: string;
  /** Why it is kept or removed (`"daily snapshot"`, `"last snapshot"`, `"older than …"`). */
  readonly reasons: readonly string[];
}

/**
 * What a policy keeps and removes, newest first in each list.
 *
 * @example
 * ```ts
 * const plan: RetentionPlan = planRetention(candidates, { keepDaily: 7 }, Date.now());
 * ```
 */
export interface RetentionPlan {
  readonly keep: readonly RetentionDecision[];
  readonly remove: readonly RetentionDecision[];
}

const DAY_MS = 86_400_000;

const REASON: Record<(typeof BUCKET_RULES)[number], string> = {
  keepLast: "last snapshot",
  keepHourly: "hourly snapshot",
  keepDaily: "daily snapshot",
  keepWeekly: "weekly snapshot",
  keepMonthly: "monthly snapshot",
  keepYearly: "yearly snapshot",
};

function bucketKey(rule: (typeof BUCKET_RULES)[number], timeMs: number, index: number, timeZone: string): string {
  if (rule === "keepLast") return String(index);
  const { year, month, day, hour } = calendarFields(timeMs, timeZone);
  switch (rule) {
    case "keepHourly":
      return `${year}-${month}-${day}T${hour}`;
    case "keepDaily":
      return `${year}-${month}-${day}`;
    case "keepWeekly": {
      const week = isoWeek(year, month, day);
      return `${week.year}-W${week.week}`;
    }
    case "keepMonthly":
      return `${year}-${month}`;
    default:
      return String(year);
  }
}

/**
 * Decides which backups a policy keeps, with the semantics of `restic forget`: backups are
 * taken newest first; each `keep*` rule keeps the newest backup of each of its last n
 * calendar buckets that contain a backup (hours, days, ISO weeks, months, years, in
 * `policy.timeZone`), and when a rule has fewer buckets than n the oldest backup is kept
 * too; `keepWithin` keeps everything within that duration of the newest backup; backups
 * dated in the future are kept. A backup is kept when any rule keeps it. Then backups
 * older than their tier's maximum age are removed, but the newest verified backup (or the
 * newest of all when none is marked verified) is always kept. Pure: no I/O, `now` given.
 *
 * @example
 * ```ts
 * const plan = planRetention(backups, { keepDaily: 7, keepWeekly: 4 }, Date.now());
 * for (const backup of plan.remove) console.log(backup.id, backup.reasons.join(", "));
 * ```
 */
export function planRetention(
  backups: readonly RetentionCandidate[],
  policy: RetentionPolicy,
  now: number,
): RetentionPlan {
  const normalized = normalizePolicy(policy);
  const sorted = backups
    .map((backup) => ({
      backup,
      timeMs: typeof backup.created === "number" ? backup.created : Date.parse(backup.created),
    }))
    .sort((left, right) => right.timeMs - left.timeMs || (left.backup.id < right.backup.id ? 1 : -1));
  const reasons = sorted.map((): string[] => []);
  const remaining = { ...normalized.counts };
  const lastKey = new Map<string, string>();
  const newestMs = sorted[0]?.timeMs ?? now;
  const withinStart = normalized.within === undefined ? undefined : subtractDuration(newestMs, normalized.within);

  sorted.forEach(({ timeMs }, index) => {
    const list = reasons[index] as string[];
    if (timeMs > now) list.push("in the future");
    if (withinStart !== undefined && timeMs > withinStart) list.push(`within ${normalized.withinText}`);
    for (const rule of BUCKET_RULES) {
      if (remaining[rule] === 0) continue;
      const key = bucketKey(rule, timeMs, index, normalized.timeZone);
      if (key === lastKey.get(rule)) continue;
      lastKey.set(rule, key);
      remaining[rule]--;
      list.push(REASON[rule]);
    }
  });
  // As restic: a rule with counts left (or unlimited) also keeps the oldest backup, which
  // maximises the history kept while the rule still has room.
  const oldest = reasons.at(-1);
  if (oldest !== undefined) {
    for (const rule of BUCKET_RULES) {
      const count = remaining[rule];
      if (count > 0 && !oldest.includes(REASON[rule])) {
        oldest.push(`oldest ${REASON[rule]}`);
      }
    }
  }

  const protectedIndex = Math.max(
    sorted.findIndex(({ backup }) => backup.verified === true),
    sorted.some(({ backup }) => backup.verified === true) ? -1 : 0,
  );
  const keep: RetentionDecision[] = [];
  const remove: RetentionDecision[] = [];
  sorted.forEach(({ backup, timeMs }, index) => {
    const list = reasons[index] as string[];
    const maxAgeDays = backup.tier === undefined ? undefined : normalized.maxAgeDays[backup.tier];
    const expired = maxAgeDays !== undefined && now - timeMs > maxAgeDays * DAY_MS;
    const created = new Date(timeMs).toISOString();
    if (index === protectedIndex && sorted.length > 0) {
      keep.push({ id: backup.id, created, reasons: [...list, "newest verified backup"] });
    } else if (expired) {
      remove.push({
        id: backup.id,
        created,
        reasons: [`older than the ${backup.tier} maximum age (${maxAgeDays} days)`],
      });
    } else if (list.length > 0) {
      keep.push({ id: backup.id, created, reasons: list });
    } else {
      remove.push({ id: backup.id, created, reasons: ["matched no keep rule"] });
    }
  });
  return { keep, remove };
}
