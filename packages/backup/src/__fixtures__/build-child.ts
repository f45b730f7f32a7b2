import { fileURLToPath } from "node:url";
import { build } from "esbuild";
import { writeFiles } from "./workspace.js";

/**
 * Bundles a fixture script (TypeScript sources of this package and of core, and their
 * third-party imports) into one ESM file `<root>/child/<name>.mjs` that a child process runs
 * from anywhere, including as another user. version.ts reads ../package.json relative to it.
 */
export async function buildChild(root: string, name: string): Promise<string> {
  const outfile = `${root}/child/${name}.mjs`;
  await writeFiles(root, { "package.json": '{"version":"0.0.0-test"}\n' });
  await build({
    entryPoints: [fileURLToPath(new URL(`./${name}.ts`, import.meta.url))],
    outfile,
    bundle: true,
    platform: "node",
    format: "esm",
    target: "node20",
    // jose and lru-cache (core's dependencies) are bundled: the child runs outside the repository.
    banner: { js: "import { createRequire as nextgenTestRequire } from 'node:module'; const require = nextgenTestRequire(import.meta.url);" },
    alias: {
      "@nextgen/core": fileURLToPath(new URL("../../../core/src/index.ts", import.meta.url)),
      "@nextgen/core/internal": fileURLToPath(new URL("../../../core/src/internal.ts", import.meta.url)),
    },
    logLevel: "silent",
  });
  return outfile;
}
