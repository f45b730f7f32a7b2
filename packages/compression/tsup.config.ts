import type { Options } from "tsup";
import { packageBuild } from "../../tsup.base.js";

const build: Options = packageBuild({
  entry: {
    index: "src/index.ts",
    // Shared with sibling @nextgen packages only (no semver promise).
    internal: "src/internal.ts",
  },
});
export default build;
