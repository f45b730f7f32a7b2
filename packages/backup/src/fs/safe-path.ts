import { NextGenError } from "@nextgen/core";
import type { BackupErrorCode } from "../errors/backup-error-codes.js";

/**
 * Checks that a path taken from an archive or a Git tree is a plain relative POSIX path
 * that stays below the directory it is written into: no absolute path, no `..` or `.`
 * segment, no empty segment, no backslash or NUL. Returns it unchanged.
 */
export function assertSafeRelativePath(path: string): string {
  const segments = path.split("/");
  const unsafe =
    path.length === 0 ||
    path.startsWith("/") ||
    path.includes("\\") ||
    path.includes("\0") ||
    /^[A-Za-z]:/.test(path) ||
    segments.some((segment) => segment === "" || segment === "." || segment === "..");
  if (unsafe) {
    throw new NextGenError<BackupErrorCode>(
      "NG_ERR_BACKUP_RESTORE",
      `Refusing unsafe path ${JSON.stringify(path)} in a backup.`,
    );
  }
  return path;
}

/** Whether `child` is `parent` or lies below it (both absolute, resolved). */
export function isSameOrInside(parent: string, child: string): boolean {
  if (child === parent) return true;
  const prefix = parent.endsWith("/") || parent.endsWith("\\") ? parent : `${parent}/`;
  return child.startsWith(prefix) || child.startsWith(prefix.replace(/\/$/, "\\"));
}
