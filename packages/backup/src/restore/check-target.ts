import { stat } from "node:fs/promises";
import { resolve } from "node:path";
import { NextGenError, OptionsError } from "@nextgen/core";
import type { BackupErrorCode } from "../errors/backup-error-codes.js";
import { isSameOrInside } from "../fs/safe-path.js";

/**
 * Resolves a restore target and refuses one that would destroy the backups themselves
 * (it overlaps the repository or the archives directory) or that is not a directory.
 */
export async function checkRestoreTarget(target: unknown, protectedPaths: readonly string[]): Promise<string> {
  if (typeof target !== "string" || target.length === 0) {
    throw new OptionsError("options.target", "must be a directory path.");
  }
  const absolute = resolve(target);
  for (const path of protectedPaths) {
    if (isSameOrInside(absolute, path) || isSameOrInside(path, absolute)) {
      throw new NextGenError<BackupErrorCode>("NG_ERR_BACKUP_RESTORE", `Restore target ${absolute} overlaps ${path}.`);
    }
  }
  const info = await stat(absolute).catch(() => undefined);
  if (info !== undefined && !info.isDirectory()) {
    throw new NextGenError<BackupErrorCode>(
      "NG_ERR_BACKUP_RESTORE",
      `Restore target ${absolute} exists and is not a directory.`,
    );
  }
  return absolute;
}
