import type { Finding, ReviewTask } from "../review-task.js";

/** Lines changed above which a change is reported as hard to review. */
export const LARGE_CHANGE_LINES = 400;

/** Counts added and removed lines and files of the unified diff; large changes are a finding. */
export function diffStats(task: ReviewTask): Finding[] {
  let added = 0;
  let removed = 0;
  let files = 0;
  for (const line of task.diff.split("\n")) {
    if (line.startsWith("+++ ")) files++;
    else if (line.startsWith("+")) added++;
    else if (line.startsWith("-") && !line.startsWith("--- ")) removed++;
  }
  const severity = added + removed > LARGE_CHANGE_LINES ? "medium" : "info";
  return [{ tool: "diff-stats", severity, message: `${files} file(s), +${added} -${removed}` }];
}
