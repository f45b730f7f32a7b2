import type { Finding, ReviewTask } from "../review-task.js";

const EXPORTED = /export\s+(?:async\s+)?function\s+([A-Za-z_$][\w$]*)|export\s+const\s+([A-Za-z_$][\w$]*)\s*=/g;

/** Reports exported functions of non-test files that no changed test file mentions. */
export function coverageGap(task: ReviewTask): Finding[] {
  const tests = task.files.filter((file) => /\.test\.[cm]?[jt]s$/.test(file.path));
  const testText = tests.map((file) => file.content).join("\n");
  const findings: Finding[] = [];
  for (const file of task.files) {
    if (tests.includes(file)) continue;
    for (const match of file.content.matchAll(EXPORTED)) {
      const name = match[1] ?? match[2]!;
      if (!new RegExp(`\\b${name}\\b`).test(testText)) {
        const line = file.content.slice(0, match.index).split("\n").length;
        findings.push({
          tool: "coverage-gap",
          severity: "medium",
          message: `${name} has no test`,
          location: `${file.path}:${line}`,
        });
      }
    }
  }
  return findings;
}
