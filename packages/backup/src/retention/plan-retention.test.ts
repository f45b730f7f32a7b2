import { NextGenError } from "@nextgen/core";
import { describe, expect, it } from "vitest";
import { planRetention, type RetentionCandidate } from "./plan-retention.js";

const DAY = 86_400_000;
const ids = (decisions: readonly { id: string }[]): string[] => decisions.map((decision) => decision.id);

describe("planRetention (restic forget semantics)", () => {
  it("reproduces restic's documented example: 12 Sunday backups, keepDaily 4 keeps the last four", () => {
    // restic docs, "Removing snapshots according to a policy": 2019-09-01 … 2019-11-17, 11:00.
    const sundays: RetentionCandidate[] = Array.from({ length: 12 }, (_, week) => ({
      id: `s${week}`,
      created: Date.UTC(2019, 8, 1 + week * 7, 11),
    }));
    const plan = planRetention(sundays, { keepDaily: 4 }, Date.UTC(2019, 10, 18));
    expect(ids(plan.keep)).toEqual(["s11", "s10", "s9", "s8"]);
    expect(plan.keep.map((decision) => decision.created.slice(0, 10))).toEqual([
      "2019-11-17",
      "2019-11-10",
      "2019-11-03",
      "2019-10-27",
    ]);
    expect(plan.keep[1]?.reasons).toEqual(["daily snapshot"]);
    expect(plan.remove).toHaveLength(8);
  });

  it("reproduces restic's 100-years example: daily 7, weekly 5, monthly 12, yearly 75", () => {
    // The newest backup is on Sunday 2025-12-28, so the 7 dailies are exactly one ISO week.
    const newest = Date.UTC(2025, 11, 28, 5);
    const daily: RetentionCandidate[] = Array.from({ length: 36_525 }, (_, day) => ({
      id: `d${day}`,
      created: newest - day * DAY,
    }));
    const now = newest + DAY;
    const plan = planRetention(daily, { keepDaily: 7, keepWeekly: 5, keepMonthly: 12, keepYearly: 75 }, now);
    const count = (reason: string): number => plan.keep.filter((decision) => decision.reasons.includes(reason)).length;
    expect(count("daily snapshot")).toBe(7);
    expect(count("weekly snapshot")).toBe(5);
    expect(count("monthly snapshot")).toBe(12);
    expect(count("yearly snapshot")).toBe(75);
    // "the most recent 7 daily snapshots and 4 last-day-of-the-week ones … 12 or 11 … 75 or 74".
    // As the docs explain, rules overlap: the newest backup is also the weekly, December and
    // 2025 one, and Sunday 2025-11-30 is both a weekly and the November one, so the union is
    // 7 dailies + 4 more weeklies + 10 more monthlies + 74 more yearlies.
    expect(plan.keep.length).toBe(7 + 4 + 10 + 74);
    expect(plan.keep.length + plan.remove.length).toBe(daily.length);
  });

  it("keepLast keeps the n newest; keepWithin is measured from the newest backup, not from now", () => {
    const backups = [0, 1, 2, 3, 4].map((day) => ({ id: `b${day}`, created: Date.UTC(2026, 0, 1 + day) }));
    expect(ids(planRetention(backups, { keepLast: 2 }, Date.UTC(2026, 0, 6)).keep)).toEqual(["b4", "b3"]);
    const within = planRetention(backups, { keepWithin: "2d" }, Date.UTC(2026, 5, 1));
    expect(ids(within.keep)).toEqual(["b4", "b3"]);
    expect(within.keep[1]?.reasons).toEqual(["within 2d"]);
  });

  it("keeps the oldest backup when a rule has fewer buckets than it may keep (restic 0.17)", () => {
    const backups = [
      { id: "morning", created: "2026-01-01T08:00:00Z" },
      { id: "evening", created: "2026-01-01T20:00:00Z" },
    ];
    const plan = planRetention(backups, { keepDaily: 3 }, Date.UTC(2026, 0, 2));
    expect(ids(plan.keep)).toEqual(["evening", "morning"]);
    expect(plan.keep[1]?.reasons).toEqual(["oldest daily snapshot"]);
  });

  it("buckets on the calendar of policy.timeZone", () => {
    // 23:30 UTC on the 1st is 00:30 on the 2nd in Berlin: one UTC day, two Berlin days.
    const backups = [
      { id: "late", created: "2026-01-01T23:30:00Z" },
      { id: "early", created: "2026-01-01T10:00:00Z" },
      { id: "older", created: "2025-12-28T10:00:00Z" },
    ];
    const now = Date.UTC(2026, 0, 3);
    expect(ids(planRetention(backups, { keepDaily: 2 }, now).keep)).toEqual(["late", "older"]);
    expect(ids(planRetention(backups, { keepDaily: 2, timeZone: "Europe/Berlin" }, now).keep)).toEqual([
      "late",
      "early",
    ]);
  });

  it("uses ISO weeks (Monday to Sunday) for keepWeekly", () => {
    const backups = [
      { id: "monday", created: "2026-01-05T12:00:00Z" },
      { id: "sunday", created: "2026-01-04T12:00:00Z" },
      { id: "saturday", created: "2026-01-03T12:00:00Z" },
    ];
    expect(ids(planRetention(backups, { keepWeekly: 2 }, Date.UTC(2026, 0, 6)).keep)).toEqual(["monday", "sunday"]);
  });

  it("removes backups older than their tier's maximum age, whatever the keep rules say", () => {
    const now = Date.UTC(2026, 6, 1);
    const backups: RetentionCandidate[] = [
      { id: "new", created: now - DAY, tier: "temporary", verified: true },
      { id: "temp-old", created: now - 8 * DAY, tier: "temporary" },
      { id: "dev-ok", created: now - 20 * DAY, tier: "development" },
      { id: "prod-old", created: now - 100 * DAY, tier: "production" },
      { id: "critical-ok", created: now - 300 * DAY, tier: "critical" },
    ];
    const plan = planRetention(backups, { keepLast: -1 }, now);
    expect(ids(plan.keep)).toEqual(["new", "dev-ok", "critical-ok"]);
    expect(ids(plan.remove)).toEqual(["temp-old", "prod-old"]);
    expect(plan.remove[0]?.reasons[0]).toMatch(/temporary maximum age \(7 days\)/);
    expect(ids(planRetention(backups, { keepLast: -1, maxAgeDays: { temporary: 10 } }, now).keep)).toContain(
      "temp-old",
    );
  });

  it("never removes the newest verified backup, even when it is expired", () => {
    const now = Date.UTC(2026, 6, 1);
    const backups: RetentionCandidate[] = [
      { id: "broken", created: now - DAY, tier: "temporary", verified: false },
      { id: "good", created: now - 30 * DAY, tier: "temporary", verified: true },
      { id: "older", created: now - 40 * DAY, tier: "temporary" },
    ];
    const plan = planRetention(backups, { keepLast: 1 }, now);
    expect(ids(plan.keep)).toEqual(["broken", "good"]);
    expect(plan.keep[1]?.reasons).toContain("newest verified backup");
    expect(ids(plan.remove)).toEqual(["older"]);
  });

  it("refuses an empty policy and malformed rules", () => {
    const refuse = (policy: object): void => {
      try {
        planRetention([], policy, 0);
        expect.unreachable();
      } catch (error) {
        expect(NextGenError.is(error, "NG_ERR_BACKUP_RETENTION_POLICY")).toBe(true);
      }
    };
    refuse({});
    refuse({ keepLast: 0 });
    refuse({ keepDaily: 1.5 });
    refuse({ keepWithin: "1w" });
    refuse({ keepLast: 1, timeZone: "Mars/Olympus" });
    refuse({ keepLast: 1, maxAgeDays: { critical: 0 } });
  });
});
