// `require("@nextgen/core")` (and every other package and subpath) from CommonJS, on the
// built packages, in a child process: the `exports` maps give `default` beside `import`, and
// Node ≥ 20.19 loads the ESM build through require(esm). Needs `npm run build` first; CI
// (`.ci/run`, NEXTGEN_REQUIRE_BUILD=1) builds before testing, so there a missing build fails.
import { execFileSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, test } from "vitest";

const root = fileURLToPath(new URL("../../../", import.meta.url));
const workspaces = (JSON.parse(readFileSync(join(root, "package.json"), "utf8")) as { workspaces: string[] })
  .workspaces;

interface Manifest {
  name: string;
  private?: boolean;
  exports?: Record<string, string | { import?: string; default?: string }>;
}

const entryPoints = workspaces
  .filter((pattern) => pattern.startsWith("packages/"))
  .map((dir) => ({ dir, manifest: JSON.parse(readFileSync(join(root, dir, "package.json"), "utf8")) as Manifest }))
  .filter(({ manifest }) => manifest.private !== true)
  .flatMap(({ dir, manifest }) =>
    Object.entries(manifest.exports ?? {})
      .filter(([, target]) => typeof target === "object" && target.import !== undefined)
      .map(([subpath, target]) => ({
        specifier: subpath === "." ? manifest.name : `${manifest.name}/${subpath.slice(2)}`,
        target: target as { import: string; default?: string },
        file: join(root, dir, (target as { import: string }).import),
      })),
  );

const unbuilt = entryPoints.filter(({ file }) => !existsSync(file)).map(({ specifier }) => specifier);
const buildRequired = process.env.NEXTGEN_REQUIRE_BUILD === "1";
if (buildRequired && unbuilt.length > 0) {
  throw new Error(`NEXTGEN_REQUIRE_BUILD=1 but these are not built: ${unbuilt.join(", ")} (run npm run build)`);
}
const skipReason =
  unbuilt.length > 0 ? ` — skipped: not built (${unbuilt.length} entry points; run npm run build)` : "";

/** Runs `code` in a CommonJS child process of this Node, from the repository root. */
function commonJs(code: string): string {
  return execFileSync(process.execPath, ["--no-warnings", "-e", code], {
    cwd: root,
    encoding: "utf8",
    timeout: 60_000,
  });
}

describe("CommonJS consumers", () => {
  test("every exports entry of every package has default beside import, pointing at the same file", () => {
    expect(entryPoints.length).toBeGreaterThanOrEqual(9);
    for (const { specifier, target } of entryPoints) expect(target.default, specifier).toBe(target.import);
  });

  test.skipIf(unbuilt.length > 0)(
    `require() of every built package and subpath gives the same exports as import()${skipReason}`,
    () => {
      const specifiers = JSON.stringify(entryPoints.map(({ specifier }) => specifier));
      const output = commonJs(`
        (async () => {
          const result = {};
          for (const specifier of ${specifiers}) {
            const required = Object.keys(require(specifier)).filter((key) => key !== "module.exports").sort();
            const imported = Object.keys(await import(specifier)).filter((key) => key !== "module.exports").sort();
            result[specifier] = { required, imported };
          }
          process.stdout.write(JSON.stringify(result));
        })().catch((error) => { process.stderr.write(String(error && error.stack)); process.exit(1); });
      `);
      const result = JSON.parse(output) as Record<string, { required: string[]; imported: string[] }>;
      expect(Object.keys(result)).toEqual(entryPoints.map(({ specifier }) => specifier));
      for (const [specifier, { required, imported }] of Object.entries(result)) {
        expect(required, specifier).toEqual(imported);
        expect(required.length, specifier).toBeGreaterThan(0);
      }
      expect(result["@nextgen/core"]!.required).toContain("createAgentFactory");
    },
    90_000,
  );
});
