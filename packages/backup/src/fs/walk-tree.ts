import { readdir } from "node:fs/promises";
import { join } from "node:path";
import { withIo } from "../errors/io-error.js";

/** One regular file found below a directory. */
export interface TreeFile {
  /** Path relative to the root, `/`-separated. */
  readonly path: string;
  /** Absolute path on disk. */
  readonly absolutePath: string;
}

/**
 * Lists every regular file below `root`, sorted by path (byte order of the UTF-8 path, so
 * the order never depends on the locale or the file system). Symbolic links and special
 * files are skipped: a backup never follows a link out of the tree. A directory that cannot
 * be listed fails with `NG_ERR_BACKUP_IO` naming it.
 */
export async function walkTree(root: string, exclude: ReadonlySet<string> = new Set()): Promise<TreeFile[]> {
  const files: TreeFile[] = [];
  async function visit(directory: string, prefix: string): Promise<void> {
    const entries = await withIo(directory, "list", () => readdir(directory, { withFileTypes: true }));
    for (const entry of entries) {
      const absolutePath = join(directory, entry.name);
      if (exclude.has(absolutePath)) continue;
      const path = prefix === "" ? entry.name : `${prefix}/${entry.name}`;
      if (entry.isDirectory()) await visit(absolutePath, path);
      else if (entry.isFile()) files.push({ path, absolutePath });
    }
  }
  await visit(root, "");
  return files.sort((left, right) => compareBytes(left.path, right.path));
}

/** Compares two strings by their UTF-8 bytes. */
export function compareBytes(left: string, right: string): number {
  return Buffer.compare(Buffer.from(left, "utf8"), Buffer.from(right, "utf8"));
}
