import { constants, realpathSync } from "node:fs";
import { realpath } from "node:fs/promises";
import { sep } from "node:path";
import type { Codec } from "../codec/codec.js";
import { NextGenError } from "../errors/next-gen-error.js";
import { identityMismatch } from "./identity-mismatch.js";
import { OPEN_FLAGS, readBoundedFile, readBoundedFileSync } from "./read-bounded-file.js";
import { readDeclaredIdentity } from "./read-identity.js";
import { isSemver } from "./semver-compare.js";
import type { TemplateFileName } from "./template-file-name.js";
import { isTemplateId } from "./template-id.js";
import type { SourceEntry } from "./template-source.js";

/** What reading one template file needs. */
export interface ReadTemplateFileOptions {
  /** Decodes `.json.zst` files; without it they are refused. */
  codec: Codec | undefined;
  /** Largest file, and largest decoded template, in bytes. */
  maxBytes: number;
  /** Aborts the read. */
  signal?: AbortSignal | undefined;
  /**
   * The source's root directory: the file's real path (symlinks resolved) must lie below
   * it, so a symlink to `/etc/shadow` or `/dev/zero` is refused before it is opened.
   */
  root?: string | undefined;
  /**
   * The file's real path when its folder's real path is known to lie below `root` and its
   * directory entry was a regular file: opened with `O_NOFOLLOW` and no `realpath`. If it
   * has become a symlink since, the open fails and the file is read the checked way.
   */
  realFile?: string | undefined;
  /**
   * Read with blocking system calls on this thread instead of libuv's thread pool (see
   * `DirectorySourceOptions.reads`).
   */
  sync?: boolean | undefined;
}

/**
 * Wraps a system error as `NG_ERR_SOURCE_READ`; coded errors and aborts pass through as
 * they are.
 */
export function sourceReadError(path: string, error: unknown): unknown {
  if (NextGenError.is(error)) return error;
  if ((error as { name?: unknown })?.name === "AbortError") return error;
  const reason = (error as { code?: unknown })?.code ?? (error as Error)?.message ?? String(error);
  return new NextGenError("NG_ERR_SOURCE_READ", `Cannot read ${path} (${String(reason)}).`, { cause: error });
}

const NO_FOLLOW = constants.O_NOFOLLOW ?? 0;

/** The real path of `path` when it lies below `root`'s real path (`realRoot`, `realFile` given), or a refusal. */
function contained(path: string, root: string, realRoot: string, realFile: string): string {
  if (!realFile.startsWith(realRoot.endsWith(sep) ? realRoot : realRoot + sep)) {
    throw new NextGenError(
      "NG_ERR_SOURCE_OUTSIDE_ROOT",
      `${path} is a symbolic link that leaves the templates directory ${root}: replace the link by the file itself.`,
    );
  }
  return realFile;
}

/** Reads `path`, refusing it unless its real path lies below `options.root` (see {@link ReadTemplateFileOptions.realFile}). */
async function readContained(path: string, options: ReadTemplateFileOptions): Promise<Uint8Array> {
  const { maxBytes, signal, root, realFile } = options;
  if (realFile !== undefined && root !== undefined && NO_FOLLOW !== 0) {
    try {
      return options.sync === true
        ? readBoundedFileSync(realFile, maxBytes, signal, OPEN_FLAGS | NO_FOLLOW)
        : await readBoundedFile(realFile, maxBytes, signal, OPEN_FLAGS | NO_FOLLOW);
    } catch (error) {
      // ELOOP: the entry is a symlink now; ENOENT: it is gone (the caller's listing check will notice).
      if ((error as { code?: unknown })?.code !== "ELOOP") throw error;
    }
  }
  if (options.sync === true) {
    const real = root === undefined ? path : contained(path, root, realpathSync(root), realpathSync(path));
    return readBoundedFileSync(real, maxBytes, signal);
  }
  const real =
    root === undefined ? path : contained(path, root, ...(await Promise.all([realpath(root), realpath(path)])));
  return readBoundedFile(real, maxBytes, signal);
}

/** `value` if it is safe to print (an id or a version), otherwise a description that echoes no file bytes. */
const shown = (value: string | undefined, safe: (text: string) => boolean): string =>
  value === undefined ? "none" : safe(value) ? JSON.stringify(value) : "a malformed value";

/**
 * Reads, size-checks and decodes one template file, then checks that the `id` (and, for
 * an `<id>@<version>` file, the `version`) it declares match its path. Shared by
 * `directorySource` and its watcher so both refuse the same files the same way.
 * Messages name the file, never its content: a link to a secret must not leak it.
 */
export async function readTemplateFile(
  path: string,
  name: TemplateFileName,
  options: ReadTemplateFileOptions,
): Promise<SourceEntry> {
  if (name.encoded && options.codec === undefined) {
    throw new NextGenError(
      "NG_ERR_SOURCE_CODEC_REQUIRED",
      `${path} is zstd-encoded but the source has no codec: pass directorySource(dir, { codec }) (createZstdCodec() from @nextgen/compression).`,
    );
  }
  let raw: Uint8Array;
  try {
    raw = await readContained(path, options);
  } catch (error) {
    throw sourceReadError(path, error);
  }
  let bytes: Uint8Array;
  try {
    bytes = name.encoded ? await options.codec!.decode(raw) : raw;
  } catch (error) {
    if (NextGenError.is(error)) throw error;
    throw new NextGenError("NG_ERR_SOURCE_READ", `${path} could not be decoded: it is not a valid zstd frame.`);
  }
  if (bytes.byteLength > options.maxBytes) {
    throw new NextGenError(
      "NG_ERR_TEMPLATE_TOO_LARGE",
      `${path} decodes to ${bytes.byteLength} bytes, more than the ${options.maxBytes}-byte limit.`,
    );
  }
  let declared: ReturnType<typeof readDeclaredIdentity>;
  try {
    declared = readDeclaredIdentity(bytes, path);
  } catch (error) {
    // The parser's own message may quote the bytes it stopped at: keep only where.
    const { line, column } = error as { line?: unknown; column?: unknown };
    const where = typeof line === "number" && typeof column === "number" ? ` at ${line}:${column}` : "";
    throw new NextGenError("NG_ERR_TEMPLATE_PARSE", `${path} is not valid UTF-8 JSON${where}.`);
  }
  const mismatch = identityMismatch(declared, name);
  if (mismatch === "id") {
    throw new NextGenError(
      "NG_ERR_SOURCE_ID_MISMATCH",
      `${path} declares id ${shown(declared.id, isTemplateId)}, but its path says "${name.id}".`,
    );
  }
  if (declared.version === undefined) {
    throw new NextGenError("NG_ERR_SOURCE_ID_MISMATCH", `${path} declares no version.`);
  }
  if (mismatch === "version") {
    throw new NextGenError(
      "NG_ERR_SOURCE_ID_MISMATCH",
      `${path} declares version ${shown(declared.version, isSemver)}, but its file name says "${name.version}".`,
    );
  }
  return { id: name.id, version: declared.version, bytes, location: path };
}
