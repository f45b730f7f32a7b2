/** One changed file of a review task. */
export interface ChangedFile {
  /** Repository-relative path. */
  path: string;
  /** File content after the change. */
  content: string;
}

/** What every sample agent reviews: a small change set. */
export interface ReviewTask {
  /** Title of the change. */
  title: string;
  /** Unified diff of the change. */
  diff: string;
  /** Changed files, after the change. */
  files: ChangedFile[];
  /** Dependencies after the change (package → version). */
  dependencies: Record<string, string>;
  /** Licence of each dependency (package → SPDX id). */
  licenses: Record<string, string>;
}

/** How serious a finding is. */
export type Severity = "info" | "low" | "medium" | "high" | "critical";

/** One thing a tool found. */
export interface Finding {
  /** Tool that found it. */
  tool: string;
  /** Severity. */
  severity: Severity;
  /** What is wrong. */
  message: string;
  /** `path:line`, when it has one. */
  location?: string;
}

/** Severities from least to most serious. */
export const SEVERITIES: readonly Severity[] = ["info", "low", "medium", "high", "critical"];

/** Calls `visit` for each line of each file, with a `path:line` location. */
export function forEachLine(task: ReviewTask, visit: (line: string, location: string, path: string) => void): void {
  for (const file of task.files) {
    file.content.split("\n").forEach((line, index) => {
      visit(line, `${file.path}:${index + 1}`, file.path);
    });
  }
}
