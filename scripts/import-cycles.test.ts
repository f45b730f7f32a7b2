// No import cycles in any package (issue 13): a cycle means a contract type sits in an
// implementation file. Type-only imports count: they are how layers get inverted.
import { fileURLToPath } from "node:url";
import { parseCircular, parseDependencyTree } from "dpdm";
import { describe, expect, it } from "vitest";

const root = fileURLToPath(new URL("..", import.meta.url));
const workspaces = ["core", "compression", "otel", "backup", "cache-redis", "cli", "ai", "mcp", "a2a"]
  .map((name) => `packages/${name}`)
  .concat(["examples/quickstart", "examples/agent-service"]);

describe("import graph", () => {
  it.each(workspaces)("%s/src has no import cycle", async (workspace) => {
    const tree = await parseDependencyTree(`${workspace}/src/**/*.ts`, {
      cwd: root,
      context: root,
      transform: false,
      skipDynamicImports: false,
      // Only this workspace's own files: other packages are reached through their built
      // output, whose chunks are the bundler's business, and each is checked on its own.
      include: new RegExp(`/${workspace}/src/.*\\.ts$`),
      exclude: /node_modules|\.test(-d)?\.ts$/,
      onProgress: () => {},
    });
    // Guards the guard: an empty tree would pass whatever the code does.
    expect(Object.keys(tree).length).toBeGreaterThan(3);
    expect(parseCircular(tree)).toEqual([]);
  });
});
