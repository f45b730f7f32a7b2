import { readdir, readFile, stat } from "node:fs/promises";
import { join } from "node:path";
import { defaultDictionary, dictionaryId } from "@nextgen/compression";
import { writeFileAtomic } from "@nextgen/core/internal";
import { InvalidArgumentError } from "commander";
import { writeErr } from "../terminal-text.js";

/**
 * Writes a command's output file with core's one atomic write: `force` replaces an existing
 * file, otherwise one that exists is refused (and left as it was) with a message saying so.
 * @internal
 */
export async function writeOutputFile(path: string, bytes: Uint8Array, force: boolean): Promise<void> {
  try {
    await writeFileAtomic(path, bytes, { overwrite: force });
  } catch (error) {
    // Node's message names the link call; say what the user can do instead.
    if ((error as NodeJS.ErrnoException).code === "EEXIST") {
      throw new Error(`${path} already exists (add --force to overwrite it)`, { cause: error });
    }
    throw error;
  }
}

/** Parses a non-negative integer flag, for commander. @internal */
export function integerFlag(name: string, minimum: number, maximum: number): (value: string) => number {
  return (value) => {
    const parsed = Number(value);
    if (!/^-?\d+$/.test(value) || parsed < minimum || parsed > maximum) {
      throw new InvalidArgumentError(`${name} must be an integer from ${minimum} to ${maximum}.`);
    }
    return parsed;
  };
}

/** Reads dictionary files for a codec. @internal */
export async function readDictionaries(paths: readonly string[]): Promise<Uint8Array[]> {
  return Promise.all(paths.map(async (path) => new Uint8Array(await readFile(path))));
}

/**
 * The dictionaries given on the command line, then the shipped default one (unless a given
 * file already has its id): with no `-D`, frames are written with the default dictionary,
 * as `directorySource` and the signing commands expect. @internal
 */
export async function withDefaultDictionary(paths: readonly string[]): Promise<Uint8Array[]> {
  const given = await readDictionaries(paths);
  const shipped = await defaultDictionary();
  const ids = new Set(given.map((dictionary) => dictionaryId(dictionary)));
  return ids.has(dictionaryId(shipped)) ? given : [...given, shipped];
}

/** Every `*.json` file under `directory`, sorted, skipping dot-directories. @internal */
export function findJsonFiles(directory: string): Promise<string[]> {
  return findFiles(directory, ".json");
}

/**
 * The files named on the command line, with each directory replaced by the files below it
 * whose name ends in `suffix` (as `sign` walks directories). A missing path stays in the list
 * so that it is reported like any other failed file. @internal
 */
export async function expandPaths(paths: readonly string[], suffix: string): Promise<string[]> {
  const expanded: string[] = [];
  for (const path of paths) {
    const isDirectory = await stat(path).then(
      (info) => info.isDirectory(),
      () => false,
    );
    expanded.push(...(isDirectory ? await findFiles(path, suffix) : [path]));
  }
  return expanded;
}

async function findFiles(directory: string, suffix: string): Promise<string[]> {
  const entries = await readdir(directory, { withFileTypes: true, recursive: true });
  return entries
    .filter((entry) => entry.isFile() && entry.name.endsWith(suffix))
    .map((entry) => join(entry.parentPath, entry.name))
    .filter(
      (path) =>
        !path
          .slice(directory.length)
          .split(/[\\/]/)
          .some((part) => part.startsWith(".")),
    )
    .sort();
}

/** The `--json` record of a file packed or unpacked. @internal */
export interface PackRecord {
  readonly file: string;
  readonly output: string;
  readonly bytesIn: number;
  readonly bytesOut: number;
  /** `pack` only: whether the source `.json` was kept (`--keep`) rather than replaced. */
  readonly kept?: boolean;
}

/** The `--json` record of a file that could not be packed or unpacked. @internal */
export interface FileFailure {
  readonly file: string;
  readonly error: { readonly code: string | undefined; readonly message: string };
}

/**
 * Reports a failure for one file on stderr, marks the exit code, and keeps going. Returns
 * the record `--json` output includes, so a script sees failures in the same document.
 * @internal
 */
export function reportFileError(file: string, error: unknown): FileFailure {
  const code = (error as { code?: unknown } | undefined)?.code;
  const reason = error instanceof Error ? error.message : String(error);
  // Node's own errors already start with their code ("ENOENT: no such file…"): do not repeat it.
  const prefix = typeof code === "string" && !reason.startsWith(`${code}:`) ? `${code}: ` : "";
  writeErr(`nextgen: ${file}: ${prefix}${reason}\n`);
  process.exitCode = 1;
  return { file, error: { code: typeof code === "string" ? code : undefined, message: reason } };
}
