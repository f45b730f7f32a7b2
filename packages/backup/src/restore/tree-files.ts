import { mkdir, readFile, writeFile } from "node:fs/promises";
import { dirname, join } from "node:path";
import { NextGenError } from "@nextgen/core";
import { report } from "../archive/create-archive.js";
import { sha256Hex } from "../archive/sha256.js";
import type { TarFile } from "../archive/tar-writer.js";
import { assertSafeRelativePath } from "../fs/safe-path.js";
import { walkTree } from "../fs/walk-tree.js";
import type { ProgressListener } from "../types.js";

/** Writes files below `root` (paths checked, parents created). */
export async function writeTree(root: string, files: readonly TarFile[], onProgress?: ProgressListener): Promise<void> {
  for (const [index, file] of files.entries()) {
    const path = join(root, assertSafeRelativePath(file.path));
    try {
      await mkdir(dirname(path), { recursive: true });
      await writeFile(path, file.data, { flag: "wx", mode: 0o644 });
    } catch (error) {
      // A path that is both a file and a directory, or a duplicate: the tree cannot exist as given.
      throw new NextGenError("NG_ERR_BACKUP_RESTORE", `Cannot stage ${file.path}: ${(error as Error).message}`, {
        cause: error,
      });
    }
    report(onProgress, "write", index + 1, files.length);
  }
}

/** Checks that `root` holds exactly `files`, byte for byte (by SHA-256). */
export async function assertTreeMatches(root: string, files: readonly TarFile[]): Promise<void> {
  const expected = new Map(files.map((file) => [file.path, sha256Hex(file.data)]));
  const actual = await walkTree(root);
  if (actual.length !== expected.size) {
    throw new NextGenError(
      "NG_ERR_BACKUP_CHECKSUM",
      `Staged tree in ${root} has ${actual.length} files, expected ${expected.size}.`,
    );
  }
  for (const file of actual) {
    if (expected.get(file.path) !== sha256Hex(await readFile(file.absolutePath))) {
      throw new NextGenError("NG_ERR_BACKUP_CHECKSUM", `Staged file ${file.path} does not match the backup.`);
    }
  }
}

/** Differences between the tree now in `target` and `files`. */
export async function compareTree(
  target: string,
  files: readonly TarFile[],
): Promise<{ added: string[]; changed: string[]; removed: string[] }> {
  let current: Awaited<ReturnType<typeof walkTree>> = [];
  try {
    current = await walkTree(target);
  } catch {
    // A missing target: everything is added.
  }
  const next = new Map(files.map((file) => [file.path, file.data]));
  const added: string[] = [];
  const changed: string[] = [];
  const removed: string[] = [];
  const seen = new Set<string>();
  for (const file of current) {
    seen.add(file.path);
    const data = next.get(file.path);
    if (data === undefined) removed.push(file.path);
    else if (!Buffer.from(data).equals(await readFile(file.absolutePath))) changed.push(file.path);
  }
  for (const file of files) if (!seen.has(file.path)) added.push(file.path);
  return { added, changed, removed };
}

/** Every file below `root` with its contents (empty when `root` does not exist). */
export async function readTreeFiles(root: string): Promise<TarFile[]> {
  const tree = await walkTree(root).catch((): Awaited<ReturnType<typeof walkTree>> => []);
  return Promise.all(tree.map(async (file) => ({ path: file.path, data: await readFile(file.absolutePath) })));
}
