#!/usr/bin/env node
// Checks that the OpenTelemetry packages our docs tell users to install can be installed
// together, and with @nextgen/otel's peer ranges: npm resolves the documented command
// (`npm install --dry-run`, so nothing is written) from the registry and fails on any peer
// conflict (ERESOLVE). @nextgen/* packages are stood in for by a local package that
// declares @nextgen/otel's third-party peer ranges, so only the npm registry is needed.
// Run by .ci/run; by hand: node packages/otel/scripts/check-documented-install.mjs
import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL("../../../", import.meta.url));
const otelPackage = JSON.parse(readFileSync(join(root, "packages/otel/package.json"), "utf8"));
// Where an install of @nextgen/otel is shown; the guide's must pin every OpenTelemetry package.
const sources = [
  { file: "docs/observability.md", pinned: true },
  { file: "packages/otel/README.md", pinned: false },
];

/** The package specs of every `npm install … @nextgen/otel …` command in a markdown file. */
function documentedInstalls(text) {
  const commands = [];
  const lines = text.replace(/\\\n\s*/g, " ").split("\n");
  for (const line of lines) {
    const match = /^\s*npm (?:install|i) (.*)$/.exec(line);
    if (match === null || !match[1].includes("@nextgen/otel")) continue;
    const specs = match[1].replace(/#.*$/, "").trim().split(/\s+/);
    commands.push(specs.filter((spec) => !spec.startsWith("-")));
  }
  return commands;
}

function nameOf(spec) {
  const at = spec.indexOf("@", 1);
  return at === -1 ? spec : spec.slice(0, at);
}

const failures = [];
let checked = 0;
for (const { file, pinned } of sources) {
  const commands = documentedInstalls(readFileSync(join(root, file), "utf8"));
  if (commands.length === 0) failures.push(`${file}: no \`npm install @nextgen/otel …\` command found`);
  for (const specs of commands) {
    const thirdParty = specs.filter((spec) => !spec.startsWith("@nextgen/"));
    if (pinned) {
      for (const spec of thirdParty) {
        if (spec.startsWith("@opentelemetry/") && nameOf(spec) === spec) {
          failures.push(`${file}: ${spec} has no version; name the compatible one (${spec}@…)`);
        }
      }
    }
    const dir = mkdtempSync(join(tmpdir(), "nextgen-otel-install-"));
    try {
      // @nextgen/otel's third-party peers, as a local package npm must satisfy too.
      const peers = Object.fromEntries(
        Object.entries(otelPackage.peerDependencies).filter(([name]) => !name.startsWith("@nextgen/")),
      );
      mkdirSync(join(dir, "otel-peers"));
      writeFileSync(
        join(dir, "otel-peers/package.json"),
        JSON.stringify({
          name: "nextgen-otel-peers",
          version: "0.0.0",
          peerDependencies: peers,
          peerDependenciesMeta: otelPackage.peerDependenciesMeta,
        }),
      );
      writeFileSync(join(dir, "package.json"), JSON.stringify({ name: "documented-install", private: true }));
      // A tarball, not the directory: npm does not check the peers of a linked directory.
      const packed = spawnSync("npm", ["pack", "./otel-peers", "--silent"], { cwd: dir, encoding: "utf8" });
      if (packed.status !== 0) throw new Error(`npm pack failed: ${packed.stderr}`);
      const tarball = packed.stdout.trim().split("\n").at(-1);
      const args = [
        "install",
        "--dry-run",
        "--no-audit",
        "--no-fund",
        "--ignore-scripts",
        `file:./${tarball}`,
        ...thirdParty,
      ];
      const result = spawnSync("npm", args, { cwd: dir, encoding: "utf8", timeout: 120_000 });
      checked++;
      const shown = `npm install @nextgen/otel ${thirdParty.join(" ")} (${file})`;
      if (result.status !== 0) {
        const reason =
          result.error?.message ?? `${result.stdout}${result.stderr}`.trim().split("\n").slice(0, 25).join("\n");
        failures.push(`${shown} does not resolve:\n${reason}`);
      } else {
        console.log(`ok: ${shown}`);
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }
}
if (failures.length > 0) {
  console.error(failures.join("\n\n"));
  process.exit(1);
}
console.log(`${checked} documented OpenTelemetry install(s) resolve with @nextgen/otel's peer ranges`);
