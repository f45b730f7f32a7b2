import { fileURLToPath } from "node:url";
import { defineConfig } from "vitest/config";

const src = (path: string): string => fileURLToPath(new URL(path, import.meta.url));

// Tests run against sources, not dist: a fresh clone can `npm test` without building.
const alias = [
  { find: /^@nextgen\/core\/pool$/, replacement: src("./packages/core/src/pool/index.ts") },
  { find: /^@nextgen\/core\/testing$/, replacement: src("./packages/core/src/testing/index.ts") },
  { find: /^@nextgen\/core$/, replacement: src("./packages/core/src/index.ts") },
  { find: /^@nextgen\/compression$/, replacement: src("./packages/compression/src/index.ts") },
  { find: /^@nextgen\/otel\/prometheus$/, replacement: src("./packages/otel/src/prometheus/index.ts") },
  { find: /^@nextgen\/otel$/, replacement: src("./packages/otel/src/index.ts") },
  { find: /^@nextgen\/backup$/, replacement: src("./packages/backup/src/index.ts") },
  { find: /^@nextgen\/cache-redis$/, replacement: src("./packages/cache-redis/src/index.ts") },
];

const packages = ["core", "compression", "otel", "backup", "cache-redis", "cli"];

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
