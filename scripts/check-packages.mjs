#!/usr/bin/env node
// Packs every public package exactly as `npm publish` would, then checks each tarball with
// publint (package.json / exports correctness) and @arethetypeswrong/cli with its node16
// profile (types resolve for ESM *and* CommonJS consumers under node16/nodenext), and
// require()s each built entry point in a child process. Run after `npm run build`.
//
// Every `exports` entry has `default` beside `import`, so `require("@nextgen/core")` resolves;
// Node ≥ 20.19 (our `engines`) loads the ESM file through require(esm). attw still reports
// that as "cjs-resolves-to-esm" (TypeScript's node16 mode predates require(esm)), so that one
// rule is ignored here, and the require() check below proves the runtime side instead.
import { execFileSync } from "node:child_process";
import { mkdirSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { join, resolve } from "node:path";

const root = resolve(import.meta.dirname, "..");
const outDir = join(root, ".pack");
rmSync(outDir, { recursive: true, force: true });
mkdirSync(outDir);

const workspaces = JSON.parse(readFileSync(join(root, "package.json"), "utf8")).workspaces;
const publicPackages = workspaces
  .filter((pattern) => pattern.startsWith("packages/"))
  .map((dir) => ({ dir, manifest: JSON.parse(readFileSync(join(root, dir, "package.json"), "utf8")) }))
  .filter(({ manifest }) => !manifest.private);

const bin = (name) => join(root, "node_modules", ".bin", name);
const failures = [];

for (const { dir, manifest } of publicPackages) {
  const before = new Set(readdirSync(outDir));
  execFileSync("npm", ["pack", "--silent", "--pack-destination", outDir], {
    cwd: join(root, dir),
    stdio: ["ignore", "ignore", "inherit"],
  });
  const tarball = readdirSync(outDir).find((file) => !before.has(file));
  if (!tarball) throw new Error(`npm pack produced nothing for ${manifest.name}`);
  const tarballPath = join(outDir, tarball);
  process.stdout.write(`\n── ${manifest.name} (${tarball})\n`);
  for (const [tool, args] of [
    ["publint", ["run", tarballPath, "--strict"]],
    [
      "attw",
      [tarballPath, "--profile", "node16", "--ignore-rules", "cjs-resolves-to-esm", "--format", "table-flipped"],
    ],
  ]) {
    try {
      execFileSync(bin(tool), args, { cwd: root, stdio: "inherit" });
    } catch {
      failures.push(`${manifest.name}: ${tool}`);
    }
  }
}

// require() of every JavaScript entry point, by package name, in a child process.
for (const { manifest } of publicPackages) {
  for (const [subpath, target] of Object.entries(manifest.exports ?? {})) {
    if (typeof target !== "object" || target === null || typeof target.default !== "string") continue;
    const specifier = subpath === "." ? manifest.name : `${manifest.name}/${subpath.slice(2)}`;
    try {
      execFileSync(process.execPath, ["-e", `require(${JSON.stringify(specifier)})`], {
        cwd: root,
        stdio: ["ignore", "ignore", "pipe"],
      });
      process.stdout.write(`require("${specifier}") ok\n`);
    } catch (error) {
      process.stderr.write(`require("${specifier}") failed:\n${error.stderr}\n`);
      failures.push(`${specifier}: require()`);
    }
  }
}

if (failures.length > 0) {
  process.stderr.write(`\npackaging checks failed:\n  ${failures.join("\n  ")}\n`);
  process.exit(1);
}
process.stdout.write(`\npackaging checks passed for ${publicPackages.length} packages\n`);
