import { NextGenError } from "@nextgen/core";
import type { BackupErrorCode } from "../errors/backup-error-codes.js";

/** Calendar fields of an instant in a time zone. */
export interface CalendarFields {
  readonly year: number;
  readonly month: number;
  readonly day: number;
  readonly hour: number;
}

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(timeZone: string): Intl.DateTimeFormat {
  let cached = formatters.get(timeZone);
  if (cached === undefined) {
    try {
      cached = new Intl.DateTimeFormat("en-US", {
        timeZone,
        year: "numeric",
        month: "numeric",
        day: "numeric",
        hour: "numeric",
        hourCycle: "h23",
      });
    } catch (error) {
      throw new NextGenError<BackupErrorCode>(
        "NG_ERR_BACKUP_RETENTION_POLICY",
        `policy.timeZone ${JSON.stringify(timeZone)} is not a known time zone.`,
        {
          cause: error,
        },
      );
    }
    formatters.set(timeZone, cached);
  }
  return cached;
}

/** Throws `NG_ERR_BACKUP_RETENTION_POLICY` unless `timeZone` is `UTC` or a known IANA zone. */
export function assertTimeZone(timeZone: string): void {
  if (timeZone !== "UTC") formatter(timeZone);
}

/** Year, month (1–12), day and hour of `timeMs` on the wall clock of `timeZone` (IANA name or `UTC`). */
export function calendarFields(timeMs: number, timeZone: string): CalendarFields {
  if (timeZone === "UTC") {
    const date = new Date(timeMs);
    return {
      year: date.getUTCFullYear(),
      month: date.getUTCMonth() + 1,
      day: date.getUTCDate(),
      hour: date.getUTCHours(),
    };
  }
  const parts: Record<string, number> = {};
  for (const part of formatter(timeZone).formatToParts(timeMs)) {
    if (part.type !== "literal") parts[part.type] = Number(part.value);
  }
  return { year: parts.year ?? 0, month: parts.month ?? 0, day: parts.day ?? 0, hour: parts.hour ?? 0 };
}

/** ISO 8601 week-numbering year and week of a calendar date (weeks run Monday to Sunday). */
export function isoWeek(year: number, month: number, day: number): { year: number; week: number } {
  const date = new Date(Date.UTC(year, month - 1, day));
  const weekday = date.getUTCDay() === 0 ? 7 : date.getUTCDay();
  date.setUTCDate(date.getUTCDate() + 4 - weekday); // the Thursday of this week decides the year
  const weekYear = date.getUTCFullYear();
  const week = Math.ceil(((date.getTime() - Date.UTC(weekYear, 0, 1)) / 86_400_000 + 1) / 7);
  return { year: weekYear, week };
}

/** A calendar duration as restic writes it: `2y5m7d3h` (years, months, days, hours). */
export interface CalendarDuration {
  readonly years: number;
  readonly months: number;
  readonly days: number;
  readonly hours: number;
}

/** Parses `2y5m7d3h` (any subset, in that order). */
export function parseCalendarDuration(text: string): CalendarDuration {
  const match = /^(?:(\d+)y)?(?:(\d+)m)?(?:(\d+)d)?(?:(\d+)h)?$/.exec(text);
  if (match === null || text === "") {
    throw new NextGenError<BackupErrorCode>(
      "NG_ERR_BACKUP_RETENTION_POLICY",
      `policy.keepWithin ${JSON.stringify(text)} is not a duration such as "1y5m7d2h".`,
    );
  }
  return {
    years: Number(match[1] ?? 0),
    months: Number(match[2] ?? 0),
    days: Number(match[3] ?? 0),
    hours: Number(match[4] ?? 0),
  };
}

/** `timeMs` minus a calendar duration, computed on the UTC calendar (as restic's `AddDate`). */
export function subtractDuration(timeMs: number, duration: CalendarDuration): number {
  const date = new Date(timeMs);
  date.setUTCFullYear(
    date.getUTCFullYear() - duration.years,
    date.getUTCMonth() - duration.months,
    date.getUTCDate() - duration.days,
  );
  return date.getTime() - duration.hours * 3_600_000;
}
