#!/usr/bin/env node
// Prints one plain summary line from a vitest JSON report, for CI logs:
//   node20: 618 passed, 0 failed, 17 skipped
import { readFileSync } from "node:fs";

const [label, reportPath] = process.argv.slice(2);
if (!label || !reportPath) {
  process.stderr.write("usage: test-summary.mjs <label> <vitest-json-report>\n");
  process.exit(2);
}
const report = JSON.parse(readFileSync(reportPath, "utf8"));
const skipped = report.numPendingTests + report.numTodoTests;
process.stdout.write(
  `${label}: ${report.numPassedTests} passed, ${report.numFailedTests} failed, ${skipped} skipped\n`,
);
