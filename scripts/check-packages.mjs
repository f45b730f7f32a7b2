#!/usr/bin/env node
// Packs every public package exactly as `npm publish` would, then checks each tarball with
// publint (package.json / exports correctness) and @arethetypeswrong/cli (types resolve
// for every ESM consumer). Run after `npm run build`.
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
    ["attw", [tarballPath, "--profile", "esm-only", "--format", "table-flipped"]],
  ]) {
    try {
      execFileSync(bin(tool), args, { cwd: root, stdio: "inherit" });
    } catch {
      failures.push(`${manifest.name}: ${tool}`);
    }
  }
}

if (failures.length > 0) {
  process.stderr.write(`\npackaging checks failed:\n  ${failures.join("\n  ")}\n`);
  process.exit(1);
}
process.stdout.write(`\npackaging checks passed for ${publicPackages.length} packages\n`);
