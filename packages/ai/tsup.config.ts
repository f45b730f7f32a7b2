import type { Options } from "tsup";
import { packageBuild } from "../../tsup.base.js";

// `ai` 7 requires Node 22, so this package targets it (its `engines` says so too).
const build: Options = packageBuild({
  entry: { index: "src/index.ts", "testing/index": "src/testing/index.ts" },
  target: "node22",
});
export default build;
