import type { Options } from "tsup";
import { packageBuild } from "../../tsup.base.js";

const build: Options = packageBuild({
  entry: { index: "src/index.ts", "prometheus/index": "src/prometheus/index.ts" },
  splitting: true,
});
export default build;
