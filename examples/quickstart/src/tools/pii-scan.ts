import { type Finding, forEachLine, type ReviewTask } from "../review-task.js";

const RULES: { name: string; pattern: RegExp }[] = [
  { name: "email address", pattern: /\b[A-Za-z0-9._%+-]+@(?!example\.(?:com|org))[A-Za-z0-9.-]+\.[A-Za-z]{2,}\b/ },
  { name: "phone number", pattern: /\+\d{1,3}[ -]?\(?\d{2,4}\)?[ -]?\d{3,4}[ -]?\d{3,4}\b/ },
  { name: "IBAN", pattern: /\b[A-Z]{2}\d{2}(?: ?[A-Z0-9]{4}){3,7}\b/ },
];

/** Finds personal data committed in code or fixtures (example.com addresses are allowed). */
export function piiScan(task: ReviewTask): Finding[] {
  const findings: Finding[] = [];
  forEachLine(task, (line, location) => {
    for (const rule of RULES) {
      if (rule.pattern.test(line))
        findings.push({ tool: "pii-scan", severity: "high", message: `${rule.name} in source`, location });
    }
  });
  return findings;
}
