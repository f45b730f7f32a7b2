#!/usr/bin/env node
// `npm start`: builds every package, then runs the quickstart demo. The build's own log
// is only shown when it fails, so the demo's output is what a newcomer reads.
import { spawnSync } from "node:child_process";
import { resolve } from "node:path";

const root = resolve(import.meta.dirname, "..");
const npm = process.platform === "win32" ? "npm.cmd" : "npm";

process.stdout.write("Building the @nextgen packages (npm run build)…\n");
const started = performance.now();
const build = spawnSync(npm, ["run", "build", "--silent"], {
  cwd: root,
  encoding: "utf8",
  shell: process.platform === "win32",
});
if (build.status !== 0) {
  process.stdout.write(build.stdout ?? "");
  process.stderr.write(build.stderr ?? "");
  process.stderr.write(`\nnpm start: the build failed (exit ${build.status ?? build.signal}); see the log above.\n`);
  process.exit(build.status ?? 1);
}
process.stdout.write(`built in ${((performance.now() - started) / 1000).toFixed(1)} s\n`);

const demo = spawnSync(npm, ["run", "start", "--silent", "-w", "@example/quickstart"], {
  cwd: root,
  stdio: "inherit",
  shell: process.platform === "win32",
});
process.exit(demo.status ?? 1);
