import type { Finding, ReviewTask } from "../review-task.js";

const DECISIONS = /\bif\b|\bfor\b|\bwhile\b|\bcase\b|\bcatch\b|&&|\|\||\?\?|\?(?=[^.:])/g;
const FUNCTION_START = /\bfunction\s+([A-Za-z_$][\w$]*)|\b([A-Za-z_$][\w$]*)\s*=\s*(?:async\s*)?\([^)]*\)\s*=>/;

/** Highest cyclomatic complexity a function may have before it is reported. */
export const COMPLEXITY_LIMIT = 6;

/**
 * Estimates each function's cyclomatic complexity (1 + decision points) by scanning its
 * body's lines until the braces balance. A heuristic, like `eslint complexity`, not a parser.
 */
export function complexity(task: ReviewTask): Finding[] {
  const findings: Finding[] = [];
  for (const file of task.files) {
    const lines = file.content.split("\n");
    for (let start = 0; start < lines.length; start++) {
      const match = FUNCTION_START.exec(lines[start]!);
      if (!match) continue;
      const name = match[1] ?? match[2]!;
      let depth = 0;
      let score = 1;
      let end = start;
      for (; end < lines.length; end++) {
        const line = lines[end]!;
        score += line.match(DECISIONS)?.length ?? 0;
        depth += (line.match(/\{/g)?.length ?? 0) - (line.match(/\}/g)?.length ?? 0);
        if (depth <= 0 && end > start) break;
      }
      if (score > COMPLEXITY_LIMIT) {
        findings.push({
          tool: "complexity",
          severity: score > 2 * COMPLEXITY_LIMIT ? "high" : "medium",
          message: `${name} has cyclomatic complexity ${score} (limit ${COMPLEXITY_LIMIT})`,
          location: `${file.path}:${start + 1}`,
        });
      }
    }
  }
  return findings;
}
