import type { Finding, ReviewTask } from "../review-task.js";

const ALLOWED = new Set(["MIT", "Apache-2.0", "BSD-2-Clause", "BSD-3-Clause", "ISC", "0BSD"]);
const COPYLEFT = new Set(["GPL-2.0-only", "GPL-3.0-only", "AGPL-3.0-only", "GPL-3.0-or-later", "AGPL-3.0-or-later"]);

/** Checks each dependency's SPDX licence against the allowlist; strong copyleft is high severity. */
export function licenseCheck(task: ReviewTask): Finding[] {
  const findings: Finding[] = [];
  for (const name of Object.keys(task.dependencies)) {
    const license = task.licenses[name];
    if (license === undefined) {
      findings.push({
        tool: "license-check",
        severity: "medium",
        message: `${name} declares no licence`,
        location: "package.json",
      });
    } else if (!ALLOWED.has(license)) {
      const severity = COPYLEFT.has(license) ? "high" : "low";
      findings.push({
        tool: "license-check",
        severity,
        message: `${name} is ${license}, not on the allowlist`,
        location: "package.json",
      });
    }
  }
  return findings;
}
