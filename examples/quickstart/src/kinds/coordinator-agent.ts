import { Agent } from "@nextgen/core";
import { type Finding, SEVERITIES, type Severity } from "../review-task.js";
import type { Report } from "./report.js";

/** What the coordinator makes of the other agents' reports. */
export interface Summary {
  /** Reports merged. */
  reports: number;
  /** Distinct findings (same message at the same location counted once). */
  findings: Finding[];
  /** Distinct findings per severity. */
  bySeverity: Record<Severity, number>;
  /** Whether anything high or critical blocks the merge. */
  blocked: boolean;
}

/** A coordinator: merges the reports of the other agents, de-duplicated and ranked. */
export class CoordinatorAgent extends Agent<Report[], Summary> {
  protected execute(reports: Report[]): Summary {
    const distinct = new Map<string, Finding>();
    for (const report of reports) {
      for (const finding of report.findings) distinct.set(`${finding.message}@${finding.location ?? ""}`, finding);
    }
    const findings = [...distinct.values()].sort(
      (a, b) => SEVERITIES.indexOf(b.severity) - SEVERITIES.indexOf(a.severity),
    );
    const bySeverity = Object.fromEntries(SEVERITIES.map((severity) => [severity, 0])) as Record<Severity, number>;
    for (const finding of findings) bySeverity[finding.severity]++;
    return { reports: reports.length, findings, bySeverity, blocked: bySeverity.high + bySeverity.critical > 0 };
  }
}
