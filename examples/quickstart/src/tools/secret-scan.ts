import { type Finding, forEachLine, type ReviewTask } from "../review-task.js";

// Patterns in the style of gitleaks' default rules: specific prefixes first, then generic assignments.
const RULES: { name: string; pattern: RegExp; severity: Finding["severity"] }[] = [
  { name: "AWS access key id", pattern: /\b(?:AKIA|ASIA)[0-9A-Z]{16}\b/, severity: "critical" },
  { name: "GitHub token", pattern: /\bgh[pousr]_[A-Za-z0-9]{36}\b/, severity: "critical" },
  { name: "private key", pattern: /-----BEGIN (?:RSA |EC |OPENSSH )?PRIVATE KEY-----/, severity: "critical" },
  { name: "Slack token", pattern: /\bxox[baprs]-[A-Za-z0-9-]{10,}\b/, severity: "high" },
  {
    name: "hard-coded password",
    pattern: /\b(?:password|passwd|secret|api[_-]?key)\b\s*[:=]\s*["'][^"']{8,}["']/i,
    severity: "high",
  },
];

/** Finds credentials committed in the changed files (regular expressions, no network). */
export function secretScan(task: ReviewTask): Finding[] {
  const findings: Finding[] = [];
  forEachLine(task, (line, location) => {
    for (const rule of RULES) {
      if (rule.pattern.test(line)) {
        findings.push({ tool: "secret-scan", severity: rule.severity, message: `${rule.name} in source`, location });
      }
    }
  });
  return findings;
}
