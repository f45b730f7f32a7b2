import { NextGenError } from "@nextgen/core";
import { BackupError, type BackupErrorReason } from "./backup-error.js";

/** Whether `error` is a Node system error (it has an errno `code` such as `ENOSPC`). */
export function isSystemError(error: unknown): error is NodeJS.ErrnoException {
  return error instanceof Error && typeof (error as NodeJS.ErrnoException).code === "string" && !NextGenError.is(error);
}

function classify(code: string | undefined): { reason: BackupErrorReason; remedy: (path: string) => string } {
  switch (code) {
    case "ENOSPC":
    case "EDQUOT":
      return {
        reason: "no-space",
        remedy: (path) => `free space on the file system holding ${path} (or move that directory), then retry`,
      };
    case "EACCES":
    case "EPERM":
      return {
        reason: "permission-denied",
        remedy: (path) =>
          `give the user running the backup (uid ${process.getuid?.() ?? "?"}) read and write access to ${path}`,
      };
    case "EROFS":
      return {
        reason: "permission-denied",
        remedy: (path) => `${path} is on a read-only file system: mount it read-write or choose another directory`,
      };
    case "ENOENT":
    case "ENOTDIR":
      return { reason: "not-found", remedy: (path) => `check that ${path} and its parent directories exist` };
    default:
      return { reason: "io", remedy: (path) => `check the file system holding ${path}, then retry` };
  }
}

/**
 * Turns a Node system error into `NG_ERR_BACKUP_IO` naming the path, what was being done
 * and what to do about it. A `NextGenError` passes through unchanged.
 */
export function ioError(error: unknown, path: string, action: string): Error {
  if (NextGenError.is(error)) return error;
  const system = isSystemError(error) ? error : undefined;
  const { reason, remedy } = classify(system?.code);
  const detail = system?.code ?? (error instanceof Error ? error.name : "error");
  return new BackupError("NG_ERR_BACKUP_IO", reason, `Could not ${action} ${path} (${detail}): ${remedy(path)}.`, {
    path,
    cause: error,
  });
}

/** Runs `work`, turning a system error into `NG_ERR_BACKUP_IO` for `path` (see {@link ioError}). */
export async function withIo<T>(path: string, action: string, work: () => Promise<T> | T): Promise<T> {
  try {
    return await work();
  } catch (error) {
    throw ioError(error, path, action);
  }
}

/**
 * The last line of defence at the manager's boundary: a system error that escaped the
 * specific wrappers becomes `NG_ERR_BACKUP_IO` with the path Node recorded on it.
 */
export function codedBoundaryError(error: unknown, fallbackPath: string, operation: string): unknown {
  if (!isSystemError(error)) return error;
  return ioError(error, error.path ?? fallbackPath, `${error.syscall ?? "access"} (during ${operation})`);
}
