import { readFileSync } from "node:fs";
import { posix } from "node:path";
import type { TarFile } from "../archive/tar-writer.js";
import { BackupError } from "../errors/backup-error.js";
import { withIo } from "../errors/io-error.js";
import { walkTree } from "../fs/walk-tree.js";

/**
 * What a restore does with trust files (`trust.json`, and rollback state files
 * `*.state.json` such as `trust.state.json`) on which the backup differs from the target:
 * - `"refuse"` (default): refuse a restore that would change or remove one the target has
 *   (`NG_ERR_BACKUP_RESTORE`, reason `trust-files`); a dry run reports them instead. One the
 *   target lacks is added (nothing is replaced: a restore onto a new machine);
 * - `"keep"`: restore everything else and keep the target's trust files exactly as they are
 *   (none added, none changed, none removed);
 * - `"replace"`: take the backup's, deliberately.
 *
 * @example
 * ```ts
 * const mode: TrustFilesMode = "keep";
 * await backups.restore(id, { trustFiles: mode });
 * ```
 */
export type TrustFilesMode = "refuse" | "keep" | "replace";

/** Whether a tree path is a trust policy or a rollback state file. */
export function isTrustFile(path: string): boolean {
  const name = posix.basename(path);
  return name === "trust.json" || name.endsWith(".state.json");
}

/** The files to stage, and the trust files the backup differs on. */
export interface TrustFilesPlan {
  readonly files: TarFile[];
  /** Trust files the backup would add, change or remove, sorted. */
  readonly trustFiles: string[];
}

async function currentTrustFiles(target: string): Promise<TarFile[]> {
  const tree = await walkTree(target).catch((error: unknown) => {
    if ((error as { reason?: string }).reason === "not-found") return [];
    throw error;
  });
  const found: TarFile[] = [];
  for (const file of tree) {
    if (!isTrustFile(file.path)) continue;
    found.push({
      path: file.path,
      data: await withIo(file.absolutePath, "read", () => readFileSync(file.absolutePath)),
    });
  }
  return found;
}

/**
 * Applies `mode` to the tree about to replace `target`. The backup location is untrusted:
 * an archive whose `trust.json` trusts an attacker's key must not replace the target's
 * with a routine restore. Throws `NG_ERR_BACKUP_RESTORE` (reason `trust-files`) for
 * `"refuse"` unless `dryRun`, naming the files and the remedy.
 */
export async function planTrustFiles(
  target: string,
  files: TarFile[],
  mode: TrustFilesMode,
  dryRun: boolean,
): Promise<TrustFilesPlan> {
  const current = await currentTrustFiles(target);
  const incoming = files.filter((file) => isTrustFile(file.path));
  const before = new Map(current.map((file) => [file.path, Buffer.from(file.data)]));
  const after = new Map(incoming.map((file) => [file.path, Buffer.from(file.data)]));
  const differing = [...new Set([...before.keys(), ...after.keys()])]
    .filter((path) => {
      const old = before.get(path);
      const next = after.get(path);
      return old === undefined || next === undefined || !old.equals(next);
    })
    .sort();
  // Replacing means changing or removing a trust file the target has; adding one where the
  // target has none replaces nothing (a restore onto a new machine), so it is not refused.
  const replaced = differing.filter((path) => before.has(path));
  if (differing.length === 0 || mode === "replace") return { files, trustFiles: differing };
  if (mode === "keep") {
    const kept = [...files.filter((file) => !isTrustFile(file.path)), ...current];
    kept.sort((left, right) => Buffer.compare(Buffer.from(left.path), Buffer.from(right.path)));
    return { files: kept, trustFiles: differing };
  }
  if (replaced.length > 0 && !dryRun) {
    throw new BackupError(
      "NG_ERR_BACKUP_RESTORE",
      "trust-files",
      `Refusing to restore into ${target}: the backup would replace trust files (${replaced.join(", ")}). A backup location is untrusted, so trust policies and rollback state are never replaced unless asked: pass trustFiles: "keep" (--trust-files keep) to keep the current ones, or "replace" (--trust-files replace) after checking them. Nothing was changed.`,
      { path: target },
    );
  }
  return { files, trustFiles: differing };
}
