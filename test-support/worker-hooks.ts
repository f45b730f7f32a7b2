// The module hooks the pool's worker threads register before they load TypeScript: tests run
// the pool's own sources (`worker-runtime.ts`), which Node 20 cannot load in a worker, and
// `--import` in `execArgv` does not reach a worker's entry module. vitest.config.ts sets
// NEXTGEN_WORKER_HOOKS to this URL (tsx's ESM API, whose `register()` installs the hooks);
// built `.js` workers never need it.
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { pathToFileURL } from "node:url";

/** File URL of `tsx/esm/api` (the ESM build, whatever tsx's version names it). */
export function tsxHooksUrl(): string {
  const require = createRequire(import.meta.url);
  const manifestPath = require.resolve("tsx/package.json");
  const manifest = JSON.parse(readFileSync(manifestPath, "utf8")) as {
    exports?: Record<string, { import?: { default?: string } | string }>;
  };
  const entry = manifest.exports?.["./esm/api"];
  const relative =
    typeof entry?.import === "string" ? entry.import : (entry?.import?.default ?? "./dist/esm/api/index.mjs");
  return pathToFileURL(join(dirname(manifestPath), relative)).href;
}
