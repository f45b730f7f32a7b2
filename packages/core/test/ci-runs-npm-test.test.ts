// `.ci/run` must run the README's test command, `npm test`, for the Node 20 suite (a
// contributor's `npm test` and CI then cannot drift apart), and keep its JSON report and
// summary line. This runs that exact invocation on one small test file.
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, test } from "vitest";

const root = fileURLToPath(new URL("../../../", import.meta.url));
const ci = readFileSync(join(root, ".ci/run"), "utf8");
const scratch = mkdtempSync(join(tmpdir(), "nextgen-ci-run-"));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

/** This process's environment without the variables vitest sets for its own workers. */
function outsideVitest(): NodeJS.ProcessEnv {
  return Object.fromEntries(Object.entries(process.env).filter(([name]) => !name.startsWith("VITEST")));
}

describe(".ci/run", () => {
  test("runs the Node 20 suite with npm test, and the README documents that command", () => {
    expect(ci).toMatch(/^run_tests 20 node npm test --$/m);
    expect(ci).toContain('"$@" --reporter=default --reporter=json --outputFile.json="$report"');
    expect(ci).not.toMatch(/^run_tests 20 node node_modules\/vitest/m);
    const readme = readFileSync(join(root, "README.md"), "utf8");
    expect(readme).toMatch(/^npm test$/m);
    const scripts = (
      JSON.parse(readFileSync(join(root, "package.json"), "utf8")) as { scripts: Record<string, string> }
    ).scripts;
    expect(scripts.test).toBe("vitest run");
  });

  test("npm test forwards the CI reporter flags: the JSON report feeds the summary line", () => {
    const report = join(scratch, "report.json");
    execFileSync(
      "npm",
      [
        "test",
        "--",
        "--project",
        "core",
        "src/errors/codes.test.ts",
        "--typecheck.enabled=false",
        "--reporter=default",
        "--reporter=json",
        `--outputFile.json=${report}`,
      ],
      {
        cwd: root,
        stdio: "ignore",
        timeout: 120_000,
        env: outsideVitest(),
      },
    );
    const summary = execFileSync(process.execPath, [join(root, "scripts/test-summary.mjs"), "node20", report], {
      encoding: "utf8",
    });
    expect(summary).toMatch(/^node20: [1-9]\d* passed, 0 failed, 0 skipped\n$/);
  }, 150_000);
});
