import { fileURLToPath } from "node:url";
import { defineConfig } from "vitest/config";
import { tsxHooksUrl } from "./test-support/worker-hooks.js";

const src = (path: string): string => fileURLToPath(new URL(path, import.meta.url));

// Tests run the pool's TypeScript sources in worker threads; each worker registers tsx's hooks
// first (NEXTGEN_WORKER_HOOKS: see packages/core/src/pool/pool-worker.ts). Product code never
// loads tsx. Forked test processes inherit the variable.
process.env.NEXTGEN_WORKER_HOOKS ??= tsxHooksUrl();

// Tests run against sources, not dist: a fresh clone can `npm test` without building.
const alias = [
  { find: /^@nextgen\/core\/pool$/, replacement: src("./packages/core/src/pool/index.ts") },
  { find: /^@nextgen\/core\/internal$/, replacement: src("./packages/core/src/internal.ts") },
  { find: /^@nextgen\/core\/testing$/, replacement: src("./packages/core/src/testing/index.ts") },
  { find: /^@nextgen\/core$/, replacement: src("./packages/core/src/index.ts") },
  { find: /^@nextgen\/compression\/internal$/, replacement: src("./packages/compression/src/internal.ts") },
  { find: /^@nextgen\/compression$/, replacement: src("./packages/compression/src/index.ts") },
  { find: /^@nextgen\/otel\/prometheus$/, replacement: src("./packages/otel/src/prometheus/index.ts") },
  { find: /^@nextgen\/otel$/, replacement: src("./packages/otel/src/index.ts") },
  { find: /^@nextgen\/backup$/, replacement: src("./packages/backup/src/index.ts") },
  { find: /^@nextgen\/cache-redis$/, replacement: src("./packages/cache-redis/src/index.ts") },
  { find: /^@nextgen\/ai\/testing$/, replacement: src("./packages/ai/src/testing/index.ts") },
  { find: /^@nextgen\/ai$/, replacement: src("./packages/ai/src/index.ts") },
  { find: /^@nextgen\/mcp$/, replacement: src("./packages/mcp/src/index.ts") },
  { find: /^@nextgen\/a2a$/, replacement: src("./packages/a2a/src/index.ts") },
  { find: /^@nextgen\/test-support$/, replacement: src("./test-support/index.ts") },
];

// @nextgen/ai runs on the AI SDK 7, which requires Node ≥ 22: its project runs only there
// (.ci/run runs the suite on Node 22 and 24 too), and is left out, with a note, on older Node.
const nodeMajor = Number(process.versions.node.split(".")[0]);
const withAi = nodeMajor >= 22;
if (!withAi)
  process.stderr.write(
    `vitest: project "ai" skipped on Node ${process.versions.node} (the AI SDK 7 needs Node ≥ 22)\n`,
  );
const packages = [
  "core",
  "compression",
  "otel",
  "backup",
  "cache-redis",
  "mcp",
  "a2a",
  "cli",
  ...(withAi ? ["ai"] : []),
];

export default defineConfig({
  resolve: { alias },
  test: {
    projects: [
      ...packages.map((name) => ({
        resolve: { alias },
        test: {
          name,
          root: `./packages/${name}`,
          include: ["src/**/*.test.ts", "test/**/*.test.ts"],
          typecheck: {
            enabled: true,
            include: ["src/**/*.test-d.ts", "test/**/*.test-d.ts"],
            tsconfig: src("./tsconfig.json"),
          },
          testTimeout: 20_000,
          hookTimeout: 30_000,
        },
      })),
      {
        test: {
          name: "test-support",
          root: "./test-support",
          include: ["*.test.ts"],
        },
      },
      {
        test: {
          name: "repo",
          root: "./scripts",
          include: ["*.test.ts"],
          testTimeout: 60_000,
        },
      },
      {
        test: {
          name: "bench",
          root: "./bench",
          include: ["support/*.test.mjs"],
        },
      },
      {
        test: {
          name: "deploy",
          root: "./deploy",
          include: ["test/**/*.test.ts"],
          testTimeout: 60_000,
        },
      },
      {
        resolve: { alias },
        test: {
          name: "examples",
          root: "./examples",
          include: ["*/src/**/*.test.ts", "*/test/**/*.test.ts"],
          testTimeout: 60_000,
        },
      },
    ],
  },
});
