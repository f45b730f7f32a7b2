import type { Finding, ReviewTask } from "../review-task.js";

// A frozen excerpt of public advisories (GHSA ids), so the demo needs no network.
const ADVISORIES: { name: string; below: string; id: string; severity: Finding["severity"] }[] = [
  { name: "lodash", below: "4.17.21", id: "GHSA-35jh-r3h4-6jhm", severity: "high" },
  { name: "minimist", below: "1.2.6", id: "GHSA-xvch-5gv4-984h", severity: "critical" },
  { name: "jsonwebtoken", below: "9.0.0", id: "GHSA-27h2-hvpr-p74q", severity: "high" },
  { name: "axios", below: "1.6.0", id: "GHSA-wf5p-g6vw-rhxx", severity: "medium" },
];

function lower(version: string, than: string): boolean {
  const a = version
    .replace(/^[^\d]*/, "")
    .split(".")
    .map(Number);
  const b = than.split(".").map(Number);
  for (let index = 0; index < 3; index++) {
    if ((a[index] ?? 0) !== (b[index] ?? 0)) return (a[index] ?? 0) < (b[index] ?? 0);
  }
  return false;
}

/** Reports dependencies below the first fixed version of a known advisory. */
export function dependencyAudit(task: ReviewTask): Finding[] {
  const findings: Finding[] = [];
  for (const [name, version] of Object.entries(task.dependencies)) {
    for (const advisory of ADVISORIES) {
      if (advisory.name === name && lower(version, advisory.below)) {
        findings.push({
          tool: "dependency-audit",
          severity: advisory.severity,
          message: `${name}@${version} is affected by ${advisory.id} (fixed in ${advisory.below})`,
          location: "package.json",
        });
      }
    }
  }
  return findings;
}
