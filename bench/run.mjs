#!/usr/bin/env node
// Runs every benchmark one after the other on the built packages (`npm run bench` builds
// first), so no two compete for the machine's cores. Each prints its own side-by-side
// figures and ratios; docs/benchmarks.md records them with the command for each.
//
//   npm run bench                 # everything (about 15 minutes on 2 cores)
//   npm run bench -- create pool  # only the named ones
//   QUICK=1 npm run bench         # shorter runs, for a smoke check
import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";

const here = fileURLToPath(new URL(".", import.meta.url));
const quick = process.env.QUICK === "1";

// Compression runs on Node 24 (from the registry's `node` package) because node:zlib has
// zstd only from Node 22.15; everything else runs on the current Node.
const node24 = ["npx", "-y", "-p", "node@24", "node"];
const node22 = ["npx", "-y", "-p", "node@22", "node"];
const benches = {
  templates: { command: [process.execPath, "templates.mjs"] },
  validation: { command: [process.execPath, "validation.mjs"], env: quick ? { ROUNDS: "20" } : {} },
  create: { command: [process.execPath, "create.mjs"] },
  cold: { command: [process.execPath, "cold.mjs"], env: quick ? { COLD: "500", STARTUP: "2000", ROUNDS: "1" } : {} },
  trust: { command: [process.execPath, "trust.mjs"] },
  interop: { command: [process.execPath, "interop.mjs"] },
  cache: { command: [process.execPath, "cache.mjs"], env: quick ? { ROUNDS: "3" } : {} },
  otel: { command: [process.execPath, "otel.mjs"], env: quick ? { ROUNDS: "3" } : {} },
  pool: { command: [process.execPath, "pool.mjs", ...(quick ? ["--quick"] : [])] },
  wasi: { command: [process.execPath, "wasi.mjs", ...(quick ? ["--quick"] : [])] },
  compression: { command: [...node24, "compression.mjs"], env: quick ? { ROUNDS: "100" } : {} },
  // The AI SDK 7 needs Node ≥ 22.
  ai: { command: [...node24, "ai.mjs"], env: quick ? { ROUNDS: "3", RUNS: "300", STREAMS: "300" } : {} },
  // The service runs model-driven agents (@nextgen/ai), so Node ≥ 22 as well.
  service: { command: [...node22, "service.mjs"], env: quick ? { DURATION: "3" } : {} },
  backup: { command: [process.execPath, "backup.mjs", ...(quick ? ["500", "1"] : ["10000", "3"])] },
};

const selected = process.argv.slice(2);
for (const name of selected) {
  if (!(name in benches)) {
    process.stderr.write(`unknown benchmark "${name}"; choose from: ${Object.keys(benches).join(", ")}\n`);
    process.exit(2);
  }
}

let failed = 0;
for (const [name, { command, env = {} }] of Object.entries(benches)) {
  if (selected.length > 0 && !selected.includes(name)) continue;
  process.stdout.write(`\n━━ ${name} ${"━".repeat(70 - name.length)}\n`);
  const [file, ...args] = command;
  const result = spawnSync(file, args, { cwd: here, stdio: "inherit", env: { ...process.env, ...env } });
  if (result.status !== 0) {
    failed += 1;
    process.stderr.write(`benchmark ${name} exited with ${result.status ?? result.signal}\n`);
  }
}
process.exit(failed === 0 ? 0 : 1);
