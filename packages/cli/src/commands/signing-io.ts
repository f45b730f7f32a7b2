import { readdir, readFile, stat } from "node:fs/promises";
import { basename, join } from "node:path";
import { createZstdCodec, defaultDictionary, isZstdFrame, writeJsonZst, type ZstdCodec } from "@nextgen/compression";
import { type AgentTemplate, parseTemplate } from "@nextgen/core";
import { identityMismatch, parseTemplateFileName, writeFileAtomic } from "@nextgen/core/internal";
import { escapeControl } from "../terminal-text.js";

/** Options of {@link templateFileIo}. @internal */
export interface TemplateFileIoOptions {
  /** Extra zstd dictionary files for `.json.zst` templates (the first one encodes). */
  dictionaries?: readonly string[];
}

/** Reads and writes templates as `.json` or `.json.zst` (zstd, default dictionary). @internal */
export interface TemplateFileIo {
  read(path: string): Promise<AgentTemplate>;
  write(path: string, template: AgentTemplate): Promise<void>;
}

/**
 * Template file access for the signing commands: strict parsing (`parseTemplate`) of
 * `.json` and `.json.zst` files, atomic writes. The zstd codec is created on first use.
 * @internal
 */
export function templateFileIo(options: TemplateFileIoOptions = {}): TemplateFileIo {
  let codec: Promise<ZstdCodec> | undefined;
  const zstd = (): Promise<ZstdCodec> => {
    codec ??= (async () => {
      const extra = await Promise.all(
        (options.dictionaries ?? []).map(async (file) => new Uint8Array(await readFile(file))),
      );
      return createZstdCodec({ dictionaries: [...extra, await defaultDictionary()] });
    })();
    return codec;
  };
  return {
    async read(path: string): Promise<AgentTemplate> {
      const bytes = new Uint8Array(await readFile(path));
      const json = path.endsWith(".zst") && isZstdFrame(bytes) ? await (await zstd()).decode(bytes) : bytes;
      return parseTemplate(json, { location: path });
    },
    async write(path: string, template: AgentTemplate): Promise<void> {
      const text = `${JSON.stringify(template, null, 2)}\n`;
      if (path.endsWith(".zst")) await writeJsonZst(path, new TextEncoder().encode(text), await zstd());
      else await writeFileAtomic(path, text);
    },
  };
}

/**
 * Expands files and directories to the template files below them (`*.json`, `*.json.zst`, sorted,
 * recursively), skipping trust policies and their state files.
 * @internal
 */
export async function collectTemplateFiles(paths: readonly string[]): Promise<string[]> {
  return (await collectTemplateFilesWithPaths(paths)).map((found) => found.file);
}

/** A template file and, when it was found below a directory argument, its path relative to it. @internal */
export interface FoundTemplateFile {
  file: string;
  /** `/`-separated path below the directory argument (what a `directorySource` there maps to an id). */
  relative: string | undefined;
}

/** Like {@link collectTemplateFiles}, keeping each file's path below its directory argument. @internal */
export async function collectTemplateFilesWithPaths(paths: readonly string[]): Promise<FoundTemplateFile[]> {
  const files: FoundTemplateFile[] = [];
  const walk = async (directory: string, below: string): Promise<void> => {
    const entries = await readdir(directory, { withFileTypes: true });
    for (const entry of entries.sort((a, b) => (a.name < b.name ? -1 : 1))) {
      const path = join(directory, entry.name);
      const relative = below === "" ? entry.name : `${below}/${entry.name}`;
      if (entry.isDirectory() && !entry.name.startsWith(".") && entry.name !== "node_modules")
        await walk(path, relative);
      else if (entry.isFile() && isTemplateFileName(entry.name)) files.push({ file: path, relative });
    }
  };
  for (const path of paths) {
    if ((await stat(path)).isDirectory()) await walk(path, "");
    else files.push({ file: path, relative: undefined });
  }
  return files;
}

/**
 * Why `template`, found at `found`, would be refused by a `directorySource` serving that
 * tree (the factory's id↔path rule: `security/auditor.json` or `security/auditor@1.2.0.json`
 * holds `security/auditor`, at that version), or undefined when the path names it. A file
 * named on the command line has no known root, so only its file name is checked.
 * @internal
 */
export function idPathMismatch(found: FoundTemplateFile, template: AgentTemplate): string | undefined {
  const id = String(template.id);
  const version = String(template.version);
  if (found.relative === undefined) {
    // Named on the command line: the root is unknown, but the file name must still be the id's leaf name.
    const leaf = id.slice(id.lastIndexOf("/") + 1);
    const base = basename(found.file);
    const names = [".json", ".json.zst"].flatMap((extension) => [
      `${leaf}${extension}`,
      `${leaf}@${version}${extension}`,
    ]);
    if (names.includes(base)) return undefined;
    return `${found.file} declares ${id}@${version}, but a directory source finds that template only at <root>/${id}.json or <root>/${id}@${version}.json (.zst)`;
  }
  const name = parseTemplateFileName(found.relative);
  if (name === undefined) {
    // The argument was not a source root (`nextgen verify templates/security`): the path
    // must still end with what a root above it would map to this template.
    const normalized = found.file.split("\\").join("/");
    const names = [".json", ".json.zst"].flatMap((extension) => [`${id}${extension}`, `${id}@${version}${extension}`]);
    if (names.some((candidate) => normalized.endsWith(`/${candidate}`))) return undefined;
    return `${found.relative} is not where a directory source serves ${id}@${version} (<root>/${id}.json or <root>/${id}@${version}.json)`;
  }
  const mismatch = identityMismatch({ id, version }, name);
  if (mismatch === "id") return `${found.relative} declares id ${JSON.stringify(id)}, but its path says "${name.id}"`;
  if (mismatch === "version")
    return `${found.relative} declares version ${JSON.stringify(version)}, but its file name says "${name.version}"`;
  return undefined;
}

function isTemplateFileName(name: string): boolean {
  if (name.endsWith(".json.zst")) return true;
  return (
    name.endsWith(".json") &&
    !/^trust(\..*)?\.json$/.test(name) &&
    !name.endsWith(".state.json") &&
    name !== "package.json"
  );
}

/** Pads cells into an aligned text table; control characters in cells are escaped (no cell adds a line). @internal */
export function formatTable(header: readonly string[], unsafeRows: readonly (readonly string[])[]): string {
  const rows = unsafeRows.map((row) => row.map(escapeControl));
  const widths = header.map((cell, column) => Math.max(cell.length, ...rows.map((row) => (row[column] ?? "").length)));
  const line = (cells: readonly string[]): string =>
    cells
      .map((cell, column) => cell.padEnd(widths[column] ?? 0))
      .join("  ")
      .trimEnd();
  return `${[line(header), line(widths.map((width) => "-".repeat(width))), ...rows.map(line)].join("\n")}\n`;
}
