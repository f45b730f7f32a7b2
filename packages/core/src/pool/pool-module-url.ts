// Where a module of this folder that runs inside workers lives. A leaf (node:fs only), so
// code outside the pool (the factory's prewarm) can name a pool module without loading the
// pool's runtime.
import { existsSync } from "node:fs";

const here = import.meta.url;

/** Whether a file URL or path names TypeScript sources (`.ts`, `.mts`, `.cts`). @internal */
export const typeScriptFile: RegExp = /\.[cm]?ts$/;

/**
 * A module of this folder that is loaded by URL inside workers (so it is its own file in
 * `dist`): `.ts` beside the sources under a test runner, `.js` in the build. @internal
 *
 * @example
 * ```ts
 * const runtime = poolModuleUrl("worker-runtime"); // file:///…/dist/pool/worker-runtime.js
 * ```
 */
export function poolModuleUrl(baseName: string): URL {
  if (typeScriptFile.test(here)) return new URL(`./${baseName}.ts`, here);
  // Bundled: this code lives in dist/pool/index.js, dist/index.js or a shared chunk at dist/.
  for (const candidate of [`./${baseName}.js`, `./pool/${baseName}.js`]) {
    const url = new URL(candidate, here);
    if (existsSync(url)) return url;
  }
  throw new Error(`@nextgen/core/pool: ${baseName}.js not found next to ${here}`);
}
