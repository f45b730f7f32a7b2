import { type Finding, forEachLine, type ReviewTask } from "../review-task.js";

const RULES: { pattern: RegExp; message: string; severity: Finding["severity"] }[] = [
  {
    pattern: /\b(?:readFileSync|writeFileSync|execSync|spawnSync)\(/,
    message: "blocking I/O call",
    severity: "medium",
  },
  { pattern: /JSON\.parse\(JSON\.stringify\(/, message: "deep clone through JSON", severity: "low" },
  {
    pattern: /\.forEach\(.*\.(?:find|filter|indexOf|includes)\(/,
    message: "linear search inside a loop (quadratic)",
    severity: "medium",
  },
  { pattern: /\bawait\b.*\bfor\b|\bfor\b.*\bawait\b(?!\s*\()/, message: "sequential await in a loop", severity: "low" },
];

/** Flags patterns that commonly cost latency on hot paths. */
export function perfLint(task: ReviewTask): Finding[] {
  const findings: Finding[] = [];
  forEachLine(task, (line, location) => {
    for (const rule of RULES) {
      if (rule.pattern.test(line))
        findings.push({ tool: "perf-lint", severity: rule.severity, message: rule.message, location });
    }
  });
  return findings;
}
