import { existsSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const root = new URL("../../../../", import.meta.url);
const readme = readFileSync(new URL("README.md", root), "utf8");
const coreReadme = readFileSync(new URL("packages/core/README.md", root), "utf8");
const checked = readFileSync(new URL("./readme-sample.test-d.ts", import.meta.url), "utf8");

/** Non-empty, trimmed lines of a README's first ```ts block, without its import lines. */
function sampleLines(text: string): string[] {
  const block = /```ts\n([\s\S]*?)\n```/.exec(text);
  if (block === null) throw new Error("README.md has no ```ts block");
  return block[1]!
    .split("\n")
    .map((line) => line.trim())
    .filter((line) => line !== "" && !line.startsWith("import "));
}

describe("root README", () => {
  it("shows a sample of at most 15 lines", () => {
    const block = /```ts\n([\s\S]*?)\n```/.exec(readme)![1]!;
    expect(block.split("\n").length).toBeLessThanOrEqual(15);
  });

  it.each([
    ["README.md", readme],
    ["packages/core/README.md", coreReadme],
  ])("%s has its sample type-checked in readme-sample.test-d.ts, line for line and in order", (_name, text) => {
    const checkedLines = checked.split("\n").map((line) => line.trim());
    let from = 0;
    for (const line of sampleLines(text)) {
      const at = checkedLines.indexOf(line, from);
      expect(at, `README line not in readme-sample.test-d.ts (or out of order): ${line}`).toBeGreaterThanOrEqual(from);
      from = at + 1;
    }
  });

  it("imports only names that @nextgen/core exports", () => {
    const imported = /import \{([^}]*)\} from "@nextgen\/core";/
      .exec(readme)![1]!
      .split(",")
      .map((name) => name.trim());
    const index = readFileSync(new URL("packages/core/src/index.ts", root), "utf8");
    for (const name of imported) expect(index).toMatch(new RegExp(`\\b${name}\\b`));
  });

  it("links only to files that exist", () => {
    const links = [...readme.matchAll(/\]\(([^)#\s]+)(?:#[^)]*)?\)/g)].map((match) => match[1]!);
    expect(links.length).toBeGreaterThan(5);
    for (const link of links.filter((target) => !/^[a-z]+:/.test(target))) {
      expect(existsSync(fileURLToPath(new URL(link, root))), link).toBe(true);
    }
  });
});
