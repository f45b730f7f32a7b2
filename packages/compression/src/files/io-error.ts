import { CompressionError } from "../errors/compression-error.js";

/** What the caller was doing when the file system refused. */
export type FileOperation = "read" | "write";

// One remedy per errno a user can act on; anything else keeps Node's own wording.
function remedy(code: string | undefined, operation: FileOperation, path: string): string {
  switch (code) {
    case "ENOSPC":
    case "EDQUOT":
      return "the file system is full: free space on it (or write elsewhere) and retry";
    case "EACCES":
    case "EPERM":
      return `permission denied: give this process ${operation} access to ${path} and its directory`;
    case "ENOENT":
      return operation === "read" ? "no such file: check the path" : "its directory does not exist: create it first";
    case "ENOTDIR":
      return "a part of the path is not a directory: check the path";
    case "EISDIR":
      return "it is a directory, not a file";
    case "EROFS":
      return "the file system is read-only: write to a writable location";
    case "EMFILE":
    case "ENFILE":
      return "too many open files: raise the limit (ulimit -n) or close files";
    default:
      return "see the cause";
  }
}

/**
 * Turns a raw Node file-system error into `NG_ERR_CODEC_IO` naming the file, the errno and the
 * remedy. Errors that are already coded pass through unchanged. @internal
 *
 * @example
 * ```ts
 * await readFile(path).catch((error: unknown) => { throw fileError(error, "read", path); });
 * ```
 */
export function fileError(error: unknown, operation: FileOperation, path: string): Error {
  if (error instanceof CompressionError) return error;
  const code = (error as { code?: unknown } | undefined)?.code;
  const errno = typeof code === "string" ? code : undefined;
  const what = operation === "read" ? "cannot read" : "cannot write";
  return new CompressionError(
    "NG_ERR_CODEC_IO",
    `${what} ${path}${errno === undefined ? "" : ` (${errno})`}: ${remedy(errno, operation, path)}`,
    { cause: error, path },
  );
}
