import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { lstat } from "node:fs/promises";
import { dirname, join } from "node:path";
import { NextGenError } from "@nextgen/core";
import { report } from "../archive/create-archive.js";
import { sha256Hex } from "../archive/sha256.js";
import type { TarFile } from "../archive/tar-writer.js";
import type { BackupErrorCode } from "../errors/backup-error-codes.js";
import { ioError, withIo } from "../errors/io-error.js";
import { assertSafeRelativePath } from "../fs/safe-path.js";
import { type TreeFile, walkTree } from "../fs/walk-tree.js";
import type { ProgressListener } from "../types.js";

// Trees are many small files: synchronous calls in batches avoid a thread-pool round trip
// per file, and yielding between batches keeps the event loop responsive.
const BATCH = 256;
const yieldToEventLoop = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/** Writes files below `root` (paths checked, parents created, never overwriting). */
export async function writeTree(root: string, files: readonly TarFile[], onProgress?: ProgressListener): Promise<void> {
  const created = new Set<string>();
  for (const [index, file] of files.entries()) {
    const path = join(root, assertSafeRelativePath(file.path));
    try {
      const parent = dirname(path);
      if (!created.has(parent)) {
        mkdirSync(parent, { recursive: true });
        created.add(parent);
      }
      writeFileSync(path, file.data, { flag: "wx", mode: 0o644 });
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code !== "EEXIST" && code !== "ENOTDIR" && code !== "EISDIR") throw ioError(error, path, "write");
      // A path that is both a file and a directory, or a duplicate: the tree cannot exist as given.
      throw new NextGenError<BackupErrorCode>(
        "NG_ERR_BACKUP_RESTORE",
        `Cannot stage ${file.path}: ${(error as Error).message}`,
        {
          cause: error,
        },
      );
    }
    if ((index + 1) % BATCH === 0 || index + 1 === files.length) {
      report(onProgress, "write", index + 1, files.length);
      await yieldToEventLoop();
    }
  }
}

/** Checks that `root` holds exactly `files`, byte for byte (by SHA-256). */
export async function assertTreeMatches(root: string, files: readonly TarFile[]): Promise<void> {
  const expected = new Map(files.map((file) => [file.path, sha256Hex(file.data)]));
  const actual = await walkTree(root);
  if (actual.length !== expected.size) {
    throw new NextGenError<BackupErrorCode>(
      "NG_ERR_BACKUP_CHECKSUM",
      `Staged tree in ${root} has ${actual.length} files, expected ${expected.size}.`,
    );
  }
  for (const [index, file] of actual.entries()) {
    const data = await withIo(file.absolutePath, "read", () => readFileSync(file.absolutePath));
    if (expected.get(file.path) !== sha256Hex(data)) {
      throw new NextGenError<BackupErrorCode>(
        "NG_ERR_BACKUP_CHECKSUM",
        `Staged file ${file.path} does not match the backup.`,
      );
    }
    if ((index + 1) % BATCH === 0) await yieldToEventLoop();
  }
}

/** The files below `root`, sorted; none when `root` does not exist (any other failure is `NG_ERR_BACKUP_IO`). */
export async function walkIfPresent(root: string): Promise<TreeFile[]> {
  const info = await lstat(root).catch((error: NodeJS.ErrnoException) => {
    if (error.code === "ENOENT") return undefined; // a missing target: everything is added
    throw ioError(error, root, "inspect");
  });
  // Anything else (an unreadable directory) is an error: read as empty, a restore would
  // report every file as added and never snapshot what it replaces.
  return info === undefined ? [] : walkTree(root);
}

/** Differences between the tree now in `target` and `files`. */
export async function compareTree(
  target: string,
  files: readonly TarFile[],
): Promise<{ added: string[]; changed: string[]; removed: string[] }> {
  const current = await walkIfPresent(target);
  const next = new Map(files.map((file) => [file.path, file.data]));
  const added: string[] = [];
  const changed: string[] = [];
  const removed: string[] = [];
  const seen = new Set<string>();
  for (const [index, file] of current.entries()) {
    seen.add(file.path);
    const data = next.get(file.path);
    if (data === undefined) removed.push(file.path);
    else if (!Buffer.from(data).equals(await withIo(file.absolutePath, "read", () => readFileSync(file.absolutePath))))
      changed.push(file.path);
    if ((index + 1) % BATCH === 0) await yieldToEventLoop();
  }
  for (const file of files) if (!seen.has(file.path)) added.push(file.path);
  return { added, changed, removed };
}

/** Every file below `root` with its contents (empty when `root` does not exist). */
export async function readTreeFiles(root: string): Promise<TarFile[]> {
  const tree = await walkIfPresent(root);
  const files: TarFile[] = [];
  for (const [index, file] of tree.entries()) {
    files.push({
      path: file.path,
      data: await withIo(file.absolutePath, "read", () => readFileSync(file.absolutePath)),
    });
    if ((index + 1) % BATCH === 0) await yieldToEventLoop();
  }
  return files;
}
