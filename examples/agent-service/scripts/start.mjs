#!/usr/bin/env node
// `npm start -w @example/agent-service`: builds what the service needs (the @nextgen packages
// it imports and the service itself), then runs it in this process, so that SIGTERM reaches
// the service's graceful shutdown directly. The build log is only shown when it fails.
import { spawnSync } from "node:child_process";
import { existsSync, readdirSync, statSync } from "node:fs";
import { join, resolve } from "node:path";

const root = resolve(import.meta.dirname, "../../..");
const npm = process.platform === "win32" ? "npm.cmd" : "npm";
const packages = ["core", "ai", "otel", "cache-redis"];

// A package is rebuilt only when its dist is missing or older than a source file.
function newestSource(directory) {
  let newest = 0;
  for (const entry of readdirSync(directory, { withFileTypes: true, recursive: true })) {
    if (entry.isFile()) newest = Math.max(newest, statSync(join(entry.parentPath, entry.name)).mtimeMs);
  }
  return newest;
}
const stale = packages.filter((name) => {
  const built = join(root, "packages", name, "dist", "index.js");
  return !existsSync(built) || statSync(built).mtimeMs < newestSource(join(root, "packages", name, "src"));
});
const workspaces = [...stale.map((name) => `@nextgen/${name}`), "@example/agent-service"];

process.stdout.write(`Building ${workspaces.join(", ")}…\n`);
const build = spawnSync(npm, ["run", "build", "--silent", ...workspaces.flatMap((name) => ["-w", name])], {
  cwd: root,
  encoding: "utf8",
  shell: process.platform === "win32",
});
if (build.status !== 0) {
  process.stdout.write(build.stdout ?? "");
  process.stderr.write(build.stderr ?? "");
  process.stderr.write(
    `\nagent-service: the build failed (exit ${build.status ?? build.signal}); see the log above.\n`,
  );
  process.exit(build.status ?? 1);
}
await import("../dist/main.js");
