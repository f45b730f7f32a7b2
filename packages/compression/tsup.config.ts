import { defineConfig } from "tsup";

export default defineConfig({
  entry: {
    index: "src/index.ts",
    // Shared with sibling @nextgen packages only (no semver promise).
    internal: "src/internal.ts",
  },
  format: ["esm"],
  target: "node20",
  platform: "node",
  // tsup 8.5 sets the `baseUrl` that TypeScript 6 deprecates; the option is inert here.
  dts: { compilerOptions: { ignoreDeprecations: "6.0" } },
  sourcemap: true,
  clean: true,
});
