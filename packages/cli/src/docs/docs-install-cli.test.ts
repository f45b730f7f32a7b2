// Issue 11 item 19: `npx nextgen` without @nextgen/cli installed resolves to an unrelated npm
// package named `nextgen` — a supply-chain trap for a signing tool. Every guide and README that
// shows a `nextgen` command must install @nextgen/cli first, in the same file, above it.
import { readdirSync, readFileSync } from "node:fs";
import { join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, test } from "vitest";

const root = fileURLToPath(new URL("../../../../", import.meta.url));
const COMMAND =
  /(^|[\s`$(|;&])(npx\s+)?nextgen\s+(keygen|sign|verify|validate|inspect|trust|dict|pack|unpack|backup|audit|--help|--version)\b/;
const INSTALL = /npm (install|i) (-D |--save-dev |-g |--global )?@nextgen\/cli\b/;

function markdownFiles(directory: string): string[] {
  const found: string[] = [];
  for (const entry of readdirSync(directory, { withFileTypes: true })) {
    if (entry.name === "node_modules" || entry.name === "dist" || entry.name.startsWith(".")) continue;
    const path = join(directory, entry.name);
    if (entry.isDirectory()) found.push(...markdownFiles(path));
    else if (entry.name.endsWith(".md") && !entry.name.startsWith("CHANGELOG")) found.push(path);
  }
  return found;
}

/** Line numbers (1-based) of the first `nextgen` command in a code block and of the first install. */
function firstUseAndInstall(text: string): { use: number | undefined; install: number | undefined } {
  let inCode = false;
  let use: number | undefined;
  let install: number | undefined;
  text.split("\n").forEach((line, index) => {
    if (/^\s*```/.test(line)) inCode = !inCode;
    if (install === undefined && INSTALL.test(line)) install = index + 1;
    if (use === undefined && inCode && COMMAND.test(line)) use = index + 1;
  });
  return { use, install };
}

describe("docs install @nextgen/cli before running nextgen", () => {
  const files = markdownFiles(root).map((path) => ({ path, text: readFileSync(path, "utf8") }));

  test("the check recognises a guide that runs npx nextgen without installing it", () => {
    expect(firstUseAndInstall("```sh\nnpx nextgen sign templates/\n```\n")).toEqual({ use: 2, install: undefined });
    expect(firstUseAndInstall("```sh\nnpm install -D @nextgen/cli\nnpx nextgen sign t/\n```")).toEqual({
      use: 3,
      install: 2,
    });
  });

  test("every Markdown file with a nextgen command installs @nextgen/cli above its first one", () => {
    const offenders: string[] = [];
    let checked = 0;
    for (const { path, text } of files) {
      const { use, install } = firstUseAndInstall(text);
      if (use === undefined) continue;
      checked++;
      if (install === undefined || install > use) {
        offenders.push(`${relative(root, path)}:${use} runs nextgen before installing @nextgen/cli`);
      }
    }
    expect(offenders).toEqual([]);
    expect(checked).toBeGreaterThanOrEqual(4);
  });
});
