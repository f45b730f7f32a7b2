import { describe, expect, it } from "vitest";
import type { ReviewTask } from "../review-task.js";
import { sampleTask } from "../sample-task.js";
import { sampleTools } from "./index.js";

const run = (name: string, task: ReviewTask = sampleTask) => sampleTools[name]!(task);
const clean: ReviewTask = {
  title: "Tidy",
  diff: "--- a/x.js\n+++ b/x.js\n+export const x = 1;",
  files: [
    { path: "src/x.js", content: "export const x = 1;\n" },
    { path: "src/x.test.js", content: "test('x', () => expect(x).toBe(1));\n" },
  ],
  dependencies: { zod: "3.23.8" },
  licenses: { zod: "MIT" },
};

describe("sample tools", () => {
  it("find the problems planted in the sample task, with locations", () => {
    expect(run("secret-scan").map((finding) => finding.message)).toEqual([
      "AWS access key id in source",
      "hard-coded password in source",
    ]);
    expect(run("secret-scan")[0]!.location).toBe("src/billing.js:4");
    expect(run("dependency-audit")).toEqual([
      expect.objectContaining({ message: expect.stringMatching(/^lodash@4\.17\.15 .*GHSA-35jh-r3h4-6jhm/) }),
    ]);
    expect(run("license-check")).toEqual([
      expect.objectContaining({ severity: "high", message: "pdf-kit-gpl is GPL-3.0-only, not on the allowlist" }),
    ]);
    expect(run("pii-scan").map((finding) => finding.message)).toEqual(["email address in source"]);
    expect(run("perf-lint").map((finding) => finding.message)).toContain("blocking I/O call");
    expect(run("complexity")).toEqual([
      expect.objectContaining({ message: expect.stringMatching(/^invoiceTotal has cyclomatic complexity \d+/) }),
    ]);
    expect(run("coverage-gap").map((finding) => finding.message)).toEqual(["loadRates has no test"]);
    expect(run("style-check").map((finding) => finding.message)).toContain("leftover debugging statement");
    expect(run("diff-stats")[0]!.message).toMatch(/^3 file\(s\), \+\d+ -1$/);
  });

  it("find nothing worth reporting in a clean change", () => {
    for (const name of Object.keys(sampleTools)) {
      const findings = run(name, clean).filter((finding) => finding.severity !== "info");
      expect(findings, name).toEqual([]);
    }
  });
});
