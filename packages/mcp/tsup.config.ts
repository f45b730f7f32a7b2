import type { Options } from "tsup";
import { packageBuild } from "../../tsup.base.js";

const build: Options = packageBuild({ entry: { index: "src/index.ts" } });
export default build;
