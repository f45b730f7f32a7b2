// Every ```ts block in docs/*.md, type-checked against the real public API in one
// TypeScript program (imports of @nextgen/* resolve to the packages' sources through the
// root tsconfig's `paths`). Also checks that the guides' relative links resolve.
//
// Escape hatches, written as an HTML comment on the line right before the fence:
//   <!-- sample-prelude: declare const factory: AgentFactory; -->  code prepended to the
//       block (may span lines), for what the sample assumes from earlier prose;
//   <!-- sample-check: const typed: SpecialistAgent = auditor; -->  on the line right after
//       the closing fence: code appended to the block, to assert what its comments claim;
//   <!-- sample: fragment -->  not checked (keep these rare; FRAGMENTS below lists them).
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import ts from "typescript";
import { describe, expect, it } from "vitest";

const root = fileURLToPath(new URL("../../../", import.meta.url));
const docsDir = join(root, "docs");

/** Blocks deliberately left unchecked, as "file:line" of their fence. */
const FRAGMENTS: readonly string[] = [];

interface Sample {
  /** "docs/file.md:line" of the opening fence. */
  readonly where: string;
  readonly fenceLine: number;
  readonly markdown: string;
  readonly prelude: string;
  readonly code: string;
  readonly check: string;
  readonly fragment: boolean;
}

function guides(): string[] {
  return readdirSync(docsDir)
    .filter((name) => name.endsWith(".md"))
    .sort();
}

/** The ```ts blocks of one markdown file, with the hidden comment before each fence. */
function samplesOf(name: string): Sample[] {
  const lines = readFileSync(join(docsDir, name), "utf8").split("\n");
  const samples: Sample[] = [];
  for (let index = 0; index < lines.length; index++) {
    if (!/^```(ts|typescript)\s*$/.test(lines[index]!)) continue;
    const end = lines.findIndex((line, at) => at > index && /^```\s*$/.test(line));
    if (end === -1) throw new Error(`docs/${name}:${index + 1}: unclosed code fence`);
    const comment = hiddenCommentBefore(lines, index);
    const prelude = /^<!--\s*sample-prelude:([\s\S]*?)-->$/.exec(comment)?.[1] ?? "";
    samples.push({
      where: `docs/${name}:${index + 1}`,
      fenceLine: index + 1,
      markdown: name,
      prelude: prelude.trim(),
      code: lines.slice(index + 1, end).join("\n"),
      check: /^<!--\s*sample-check:([\s\S]*?)-->$/.exec(hiddenCommentAfter(lines, end))?.[1]?.trim() ?? "",
      fragment: /^<!--\s*sample:\s*fragment\s*-->$/.test(comment),
    });
    index = end;
  }
  return samples;
}

/** The HTML comment ending on the line right before `fence` ("" when there is none). */
function hiddenCommentBefore(lines: readonly string[], fence: number): string {
  const last = fence - 1;
  if (last < 0 || !lines[last]!.trimEnd().endsWith("-->")) return "";
  for (let at = last; at >= 0; at--) {
    if (lines[at]!.startsWith("<!--"))
      return lines
        .slice(at, last + 1)
        .join("\n")
        .trim();
  }
  return "";
}

/** The HTML comment starting on the line right after `fence` ("" when there is none). */
function hiddenCommentAfter(lines: readonly string[], fence: number): string {
  const first = fence + 1;
  if (first >= lines.length || !lines[first]!.startsWith("<!--")) return "";
  for (let at = first; at < lines.length; at++) {
    if (lines[at]!.trimEnd().endsWith("-->"))
      return lines
        .slice(first, at + 1)
        .join("\n")
        .trim();
  }
  return "";
}

const samples = guides().flatMap(samplesOf);
const checked = samples.filter((sample) => !sample.fragment);

/** Where each sample lives in the program: a virtual .mts module per block (ESM, top-level await). */
function virtualPath(sample: Sample): string {
  return join(docsDir, ".samples", `${sample.markdown.replace(/\.md$/, "")}-${sample.fenceLine}.mts`);
}

function preludeLineCount(sample: Sample): number {
  return sample.prelude === "" ? 0 : sample.prelude.split("\n").length;
}

/** The program text of a sample: its prelude, its code, and `export {}` so it is a module. */
function programText(sample: Sample): string {
  const prelude = sample.prelude === "" ? "" : `${sample.prelude}\n`;
  const check = sample.check === "" ? "" : `${sample.check}\n`;
  return `${prelude}${sample.code}\n${check}export {};\n`;
}

/**
 * Third-party packages a guide shows wiring up that this repository does not install: an
 * import of one is not an error (its bindings are untyped), the rest of the sample is checked.
 */
const NOT_INSTALLED: readonly string[] = [
  "@opentelemetry/sdk-node",
  "@opentelemetry/exporter-trace-otlp-http",
  "@opentelemetry/exporter-metrics-otlp-http",
];

function isNotInstalled(diagnostic: ts.Diagnostic): boolean {
  if (diagnostic.code !== 2307) return false; // "Cannot find module …"
  const message = ts.flattenDiagnosticMessageText(diagnostic.messageText, "\n");
  return NOT_INSTALLED.some((name) => message.includes(`'${name}'`));
}

/** Type-checks the given modules in one program; returns "where: message" per error. */
function typeCheck(files: ReadonlyMap<string, { text: string; describe: (line: number) => string }>): string[] {
  const configPath = join(root, "tsconfig.json");
  const config = ts.readConfigFile(configPath, ts.sys.readFile);
  const parsed = ts.parseJsonConfigFileContent(config.config, ts.sys, root, undefined, configPath);
  const options: ts.CompilerOptions = {
    ...parsed.options,
    noEmit: true,
    // Samples illustrate; they need not declare their exports' types or use every binding.
    declaration: false,
    isolatedDeclarations: false,
    noUnusedLocals: false,
    noUnusedParameters: false,
  };
  const host = ts.createCompilerHost(options, true);
  const { getSourceFile, fileExists, readFile } = host;
  host.fileExists = (path) => files.has(path) || fileExists.call(host, path);
  host.readFile = (path) => files.get(path)?.text ?? readFile.call(host, path);
  host.getSourceFile = (path, language, ...rest) => {
    const file = files.get(path);
    if (file === undefined) return getSourceFile.call(host, path, language, ...rest);
    return ts.createSourceFile(path, file.text, language, true);
  };
  const program = ts.createProgram([...files.keys()], options, host);
  const errors: string[] = [];
  for (const [path, file] of files) {
    const source = program.getSourceFile(path);
    if (source === undefined) throw new Error(`${path} is not in the program`);
    const diagnostics = [...program.getSyntacticDiagnostics(source), ...program.getSemanticDiagnostics(source)];
    for (const diagnostic of diagnostics.filter((found) => !isNotInstalled(found))) {
      const line = source.getLineAndCharacterOfPosition(diagnostic.start ?? 0).line;
      errors.push(`${file.describe(line)}: ${ts.flattenDiagnosticMessageText(diagnostic.messageText, "\n")}`);
    }
  }
  return errors;
}

describe("docs/*.md code samples", () => {
  it("finds the guides' ts samples", () => {
    expect(samples.length).toBeGreaterThan(20);
  });

  it("marks as fragments only the blocks listed in FRAGMENTS", () => {
    expect(samples.filter((sample) => sample.fragment).map((sample) => sample.where)).toEqual(FRAGMENTS);
  });

  it("type-checks every ts sample against the real API (and reports a broken one)", () => {
    const broken = join(docsDir, ".samples", "self-test.mts");
    const files = new Map<string, { text: string; describe: (line: number) => string }>();
    for (const sample of checked) {
      const prelude = preludeLineCount(sample);
      files.set(virtualPath(sample), {
        text: programText(sample),
        describe: (line) =>
          line < prelude
            ? `docs/${sample.markdown}:${sample.fenceLine} (prelude)`
            : line - prelude >= sample.code.split("\n").length
              ? `docs/${sample.markdown}:${sample.fenceLine} (check)`
              : `docs/${sample.markdown}:${sample.fenceLine + 1 + line - prelude}`,
      });
    }
    // A sample that must fail, so this test proves it can.
    files.set(broken, {
      text: 'import { createAgentFactory } from "@nextgen/core";\ncreateAgentFactory({ sauce: 1 });\nexport {};\n',
      describe: (line) => `self-test:${line + 1}`,
    });
    const errors = typeCheck(files);
    expect(errors.filter((error) => error.startsWith("self-test:2:"))).toHaveLength(1);
    expect(errors.filter((error) => !error.startsWith("self-test:"))).toEqual([]);
  }, 60_000);
});

/** GitHub's anchor for a heading: lower case, punctuation dropped, spaces to hyphens. */
function anchorOf(heading: string): string {
  return heading
    .trim()
    .toLowerCase()
    .replace(/`/g, "")
    .replace(/[^\p{L}\p{N}\s_-]/gu, "")
    .replace(/\s/g, "-");
}

function anchorsOf(path: string): Set<string> {
  const text = readFileSync(path, "utf8").replace(/^```[\s\S]*?^```/gm, "");
  const headings = [...text.matchAll(/^#{1,6}\s+(.+)$/gm)].map((match) => anchorOf(match[1]!));
  const anchors = new Set<string>();
  for (const heading of headings) {
    let anchor = heading;
    for (let count = 1; anchors.has(anchor); count++) anchor = `${heading}-${count}`;
    anchors.add(anchor);
  }
  return anchors;
}

describe("docs/*.md relative links", () => {
  it.each(guides())("%s links only to files and headings that exist", (name) => {
    const path = join(docsDir, name);
    const text = readFileSync(path, "utf8").replace(/^```[\s\S]*?^```/gm, "");
    const links = [...text.matchAll(/\]\(([^)\s]+)\)/g)].map((match) => match[1]!);
    const dead: string[] = [];
    for (const link of links.filter((target) => !/^[a-z]+:/.test(target))) {
      const [file = "", anchor] = link.split("#");
      const target = file === "" ? path : resolve(dirname(path), file);
      if (!existsSync(target)) dead.push(link);
      else if (anchor !== undefined && target.endsWith(".md") && !anchorsOf(target).has(anchor)) dead.push(link);
    }
    expect(dead).toEqual([]);
  });
});
