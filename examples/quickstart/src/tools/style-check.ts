import { type Finding, forEachLine, type ReviewTask } from "../review-task.js";

/** Longest line, in characters, before it is reported. */
export const MAX_LINE_LENGTH = 120;

/** Reports long lines, trailing whitespace, tabs and leftover debugging. */
export function styleCheck(task: ReviewTask): Finding[] {
  const findings: Finding[] = [];
  forEachLine(task, (line, location) => {
    const report = (message: string, severity: Finding["severity"] = "info") =>
      findings.push({ tool: "style-check", severity, message, location });
    if (line.length > MAX_LINE_LENGTH) report(`line is ${line.length} characters (max ${MAX_LINE_LENGTH})`);
    if (/\s+$/.test(line)) report("trailing whitespace");
    if (line.includes("\t")) report("tab indentation");
    if (/\bconsole\.log\(|\bdebugger\b/.test(line)) report("leftover debugging statement", "low");
  });
  return findings;
}
