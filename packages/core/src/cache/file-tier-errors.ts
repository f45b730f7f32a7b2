import { NextGenError } from "../errors/next-gen-error.js";

// What to do about each system error a file tier meets: the message names it.
const REMEDIES: Record<string, string> = {
  EACCES: "give the process read and write access to it",
  EPERM: "give the process read and write access to it",
  ENOSPC: "free space on its file system or lower maxBytes",
  EDQUOT: "raise the disk quota or lower maxBytes",
  EROFS: "it is on a read-only file system: give the tier a writable dir",
  ENOTDIR: "a path component is not a directory: give the tier another dir",
  EEXIST: "a file stands where the directory should be: give the tier another dir",
  EMFILE: "the process ran out of file descriptors: raise its limit (ulimit -n)",
  EIO: "the disk reported an I/O error: check the device",
};

/**
 * A file tier's failure as `NG_ERR_CACHE_TIER`, naming the directory and the remedy for
 * the system error (`cause` keeps it); coded errors pass through unchanged.
 * @internal
 */
export function ioFailure(name: string, dir: string, operation: string, cause: unknown): NextGenError {
  if (NextGenError.is(cause)) return cause;
  const code = (cause as { code?: unknown })?.code;
  const known = typeof code === "string" ? code : undefined;
  const remedy = (known && REMEDIES[known]) ?? "check that the directory exists and is writable";
  return new NextGenError(
    "NG_ERR_CACHE_TIER",
    `file cache tier "${name}" failed to ${operation} in ${dir}${known ? ` (${known})` : ""}: ${remedy}.`,
    { cause },
  );
}
