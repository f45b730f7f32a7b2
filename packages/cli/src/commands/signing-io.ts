import { randomBytes } from "node:crypto";
import { readdir, readFile, rename, rm, stat, writeFile } from "node:fs/promises";
import { basename, dirname, join } from "node:path";
import { createZstdCodec, defaultDictionary, isZstdFrame, writeJsonZst, type ZstdCodec } from "@nextgen/compression";
import { type AgentTemplate, parseTemplate } from "@nextgen/core";

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
  const files: string[] = [];
  const walk = async (directory: string): Promise<void> => {
    const entries = await readdir(directory, { withFileTypes: true });
    for (const entry of entries.sort((a, b) => (a.name < b.name ? -1 : 1))) {
      const path = join(directory, entry.name);
      if (entry.isDirectory() && !entry.name.startsWith(".") && entry.name !== "node_modules") await walk(path);
      else if (entry.isFile() && isTemplateFileName(entry.name)) files.push(path);
    }
  };
  for (const path of paths) {
    if ((await stat(path)).isDirectory()) await walk(path);
    else files.push(path);
  }
  return files;
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

/**
 * Writes `content` to `path` through a temporary file in the same directory and a
 * rename, so readers see the old or the new file, never half of one.
 * @internal
 */
export async function writeFileAtomic(path: string, content: string | Uint8Array, mode?: number): Promise<void> {
  const temporary = join(dirname(path), `.${basename(path)}.${randomBytes(6).toString("hex")}.tmp`);
  try {
    await writeFile(temporary, content, mode === undefined ? {} : { mode });
    await rename(temporary, path);
  } catch (error) {
    await rm(temporary, { force: true }).catch(() => {});
    throw error;
  }
}

/** Pads cells into an aligned text table. @internal */
export function formatTable(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const widths = header.map((cell, column) => Math.max(cell.length, ...rows.map((row) => (row[column] ?? "").length)));
  const line = (cells: readonly string[]): string =>
    cells
      .map((cell, column) => cell.padEnd(widths[column] ?? 0))
      .join("  ")
      .trimEnd();
  return `${[line(header), line(widths.map((width) => "-".repeat(width))), ...rows.map(line)].join("\n")}\n`;
}
