import type { Options } from "tsup";
import { packageBuild } from "../../tsup.base.js";

const build: Options = packageBuild({
  entry: {
    index: "src/index.ts",
    "pool/index": "src/pool/index.ts",
    // Loaded by file URL inside each pool worker, so it must exist as its own file.
    "pool/worker-runtime": "src/pool/worker-runtime.ts",
    // The agent pool's task module, loaded by file URL like the runtime.
    "pool/kind-dispatch": "src/pool/kind-dispatch.ts",
    // Template parsing at start-up (`prewarm(ids, { pool: true })`), dispatched by URL.
    "pool/parse-templates": "src/pool/parse-templates.ts",
    // A WASI tool's calls (`wasiTool`), dispatched by URL like the kinds.
    "pool/wasi/wasi-runner": "src/pool/wasi/wasi-runner.ts",
    "testing/index": "src/testing/index.ts",
    // Shared with sibling @nextgen packages only (no semver promise).
    internal: "src/internal.ts",
  },
  splitting: true,
  treeshake: true,
});
export default build;
