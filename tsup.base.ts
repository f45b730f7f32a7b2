// The build settings every @nextgen package shares; each package's tsup.config.ts names only
// its entry points and what differs (a Node 22 target, code splitting between entries).
import type { Options } from "tsup";

/** What a package's build says about itself. */
export interface PackageBuild {
  /** Entry points: output path (without extension) → source file. */
  readonly entry: Record<string, string>;
  /** The lowest Node the package supports. @default "node20" */
  readonly target?: "node20" | "node22";
  /** Share chunks between entries (packages with several entries that import each other). @default false */
  readonly splitting?: boolean;
  /** Drop unused code from the bundles. @default false */
  readonly treeshake?: boolean;
}

/**
 * The tsup options of one @nextgen package: ESM for Node, declarations, source maps.
 *
 * @example
 * ```ts
 * import { defineConfig } from "tsup";
 * import { packageBuild } from "../../tsup.base.js";
 *
 * export default defineConfig(packageBuild({ entry: { index: "src/index.ts" } }));
 * ```
 */
export function packageBuild(build: PackageBuild): Options {
  return {
    entry: build.entry,
    format: ["esm"],
    target: build.target ?? "node20",
    platform: "node",
    // tsup 8.5 sets the `baseUrl` that TypeScript 6 deprecates; the option is inert here.
    dts: { compilerOptions: { ignoreDeprecations: "6.0" } },
    sourcemap: true,
    clean: true,
    ...(build.splitting === undefined ? {} : { splitting: build.splitting }),
    ...(build.treeshake === undefined ? {} : { treeshake: build.treeshake }),
  };
}
