import { type Dirent, readdirSync } from "node:fs";
import { readdir, stat } from "node:fs/promises";
import { join, resolve, sep } from "node:path";
import type { Codec } from "../codec/codec.js";
import { NextGenError } from "../errors/next-gen-error.js";
import { OptionsError } from "../errors/options-error.js";
import type { TemplateRef } from "../template/types.js";
import { type DirectoryWatchOptions, watchDirectory } from "./directory-watch.js";
import { type FolderEntries, folderListings, type Listing } from "./folder-listings.js";
import { readTemplateFile, sourceReadError } from "./read-template-file.js";
import { compareSemver, highestVersion, isPrerelease } from "./semver-compare.js";
import { matchesTemplateName, parseTemplateFileName, type TemplateFileName } from "./template-file-name.js";
import { assertTemplateId } from "./template-id.js";
import type { LatestVersion, SourceChange, SourceEntry, SourceReadOptions, TemplateSource } from "./template-source.js";

/** Options of {@link directorySource}. */
export interface DirectorySourceOptions {
  /**
   * Decodes `.json.zst` files (`createZstdCodec()` from `@nextgen/compression`). Without
   * one, such files are refused with `NG_ERR_SOURCE_CODEC_REQUIRED`.
   * @default undefined
   */
  codec?: Codec;
  /**
   * Largest template file, and largest decoded template, in bytes.
   * @default 262144 (256 KiB)
   */
  maxBytes?: number;
  /**
   * How `watch` (hot reload) notices changes: debounce, polling fallback.
   * @default {} (each field's own default, see {@link DirectoryWatchOptions})
   */
  watch?: DirectoryWatchOptions;
  /**
   * Whether a pre-release (`3.0.0-alpha.1`) may be served as the latest version of an
   * id. Off, as in npm: pre-releases are served only when asked for by exact version.
   * @default false
   */
  includePrerelease?: boolean;
  /**
   * How a lookup reads the disk. `"sync"`: the folder's `stat`, the file's open, `fstat`,
   * read and close are blocking system calls on the calling thread — on a local disk, a
   * tmpfs or a Kubernetes ConfigMap volume they take tens of microseconds for a template,
   * less than the thread-pool hops of `"async"`, and a cold create never waits for one of
   * libuv's four pool threads (nor for a core to run it on a busy machine). `"async"`: every
   * call goes through libuv's thread pool, for a network mount (NFS, SMB, FUSE) where one
   * read may block for milliseconds. `list` walks the tree with an asynchronous `readdir`
   * either way.
   * @default "sync"
   */
  reads?: "sync" | "async";
}

/** A {@link TemplateSource} backed by a directory; `root` is its absolute path. */
export interface DirectoryTemplateSource extends TemplateSource {
  /** Absolute path of the directory. */
  readonly root: string;
}

const DEFAULT_MAX_BYTES = 256 * 1024;

function isMissing(error: unknown): boolean {
  const code = (error as { code?: unknown })?.code;
  return code === "ENOENT" || code === "ENOTDIR";
}

function sourceUnavailable(root: string, error: unknown): NextGenError {
  const code = String((error as { code?: unknown })?.code ?? "ENOENT");
  return new NextGenError(
    "NG_ERR_SOURCE_UNAVAILABLE",
    `The templates directory ${root} is unavailable (${code}): create it, mount it, or pass the right path to directorySource.`,
    { cause: error },
  );
}

function ambiguous(root: string, first: string, second: string): NextGenError {
  return new NextGenError(
    "NG_ERR_SOURCE_AMBIGUOUS",
    `${join(root, first)} and ${join(root, second)} hold the same template: remove one of them (\`nextgen pack\` replaces the .json with the .json.zst).`,
  );
}

/**
 * Templates from a directory tree: `security/auditor.json` holds `security/auditor`
 * (its version is read from the file), `security/auditor@2.0.0.json` holds version
 * `2.0.0`; either may be `.json.zst` when a `codec` is given. The id (and the version of
 * an `@` file) inside must match the path, otherwise `NG_ERR_SOURCE_ID_MISMATCH`.
 * Files that are not template files (`trust.json` at the root, dotfiles) are ignored.
 * `<id>.json` beside `<id>.json.zst` is refused (`NG_ERR_SOURCE_AMBIGUOUS`), special
 * files and symlinks leaving the directory are refused, and a missing directory is
 * `NG_ERR_SOURCE_UNAVAILABLE`, never "template not found".
 * Every call reads the template file itself; a folder's listing is kept while one `stat`
 * shows the folder unchanged (an added, removed or renamed file, or a replaced folder, is
 * seen on the next call). The factory caches what it resolves.
 *
 * @example
 * ```ts
 * const source = directorySource("./templates", { codec: await createZstdCodec() });
 * const entry = await source.get("security/auditor"); // highest version
 * ```
 */
export function directorySource(dir: string, options: DirectorySourceOptions = {}): DirectoryTemplateSource {
  if (typeof dir !== "string" || dir.length === 0) throw new OptionsError("dir", "must be a non-empty path.");
  const { codec, maxBytes = DEFAULT_MAX_BYTES } = options;
  const includePrerelease = options.includePrerelease === true;
  const reads = options.reads ?? "sync";
  if (reads !== "sync" && reads !== "async") {
    throw new OptionsError("options.reads", `must be "sync" or "async", got ${JSON.stringify(String(reads))}.`);
  }
  const sync = reads === "sync";
  if (codec !== undefined && typeof codec?.decode !== "function") {
    throw new OptionsError("options.codec", "must implement the Codec contract (decode).");
  }
  if (!Number.isSafeInteger(maxBytes) || maxBytes <= 0) {
    throw new OptionsError("options.maxBytes", `must be a positive integer (bytes), got ${String(maxBytes)}.`);
  }
  const root = resolve(dir);
  const listings = folderListings(root, { sync });
  const read = (name: TemplateFileName, relativePath: string, signal: AbortSignal | undefined, realFile?: string) =>
    readTemplateFile(join(root, relativePath), name, { codec, maxBytes, signal, root, realFile, sync });
  // A missing (or non-directory) root is an unavailable source, not a missing template:
  // every id would otherwise read as "not found" while the real fault is the path.
  async function assertRoot(): Promise<void> {
    try {
      if ((await stat(root)).isDirectory()) return;
      throw Object.assign(new Error("not a directory"), { code: "ENOTDIR" });
    } catch (error) {
      if (isMissing(error)) throw sourceUnavailable(root, error);
      throw sourceReadError(root, error);
    }
  }

  async function readFolder(folder: string, signal: AbortSignal | undefined): Promise<FolderEntries> {
    signal?.throwIfAborted();
    try {
      const entries: Dirent[] = sync
        ? readdirSync(folder, { withFileTypes: true })
        : await readdir(folder, { withFileTypes: true });
      const regular = new Set<string>();
      for (const entry of entries) if (entry.isFile()) regular.add(entry.name);
      return { names: entries.map((entry) => entry.name), regular };
    } catch (error) {
      if (isMissing(error)) {
        await assertRoot();
        return { names: [], regular: new Set() };
      }
      throw sourceReadError(folder, error);
    }
  }

  /** A template file; `realFile` when its listing vouches that it is a regular file inside the root. */
  type Located = { name: TemplateFileName; path: string; realFile: string | undefined };
  type Files = { plain: Located | undefined; versioned: Map<string, Located> };
  /** The files of `listing` (one folder) that may hold versions of `id`: the plain one and the `@version` ones. */
  function filesOf(id: string, namespace: string, leaf: string, listing: Listing): Files {
    const versioned = new Map<string, Located>();
    let plain: Located | undefined;
    for (const fileName of listing.byLeaf.get(leaf) ?? []) {
      if (!matchesTemplateName(fileName, leaf)) continue;
      const path = `${namespace}/${fileName}`;
      const name = parseTemplateFileName(path);
      if (name?.id !== id) continue;
      const previous = name.version === undefined ? plain : versioned.get(name.version);
      if (previous !== undefined) throw ambiguous(root, previous.path, path);
      const realFile =
        listing.realFolder !== undefined && listing.regular.has(fileName)
          ? `${listing.realFolder}${sep}${fileName}`
          : undefined;
      if (name.version === undefined) plain = { name, path, realFile };
      else versioned.set(name.version, { name, path, realFile });
    }
    return { plain, versioned };
  }
  /**
   * Runs `use` on the files of `id`. With a kept listing of its folder, the folder's
   * `stat` runs beside `use` (no `readdir`); if the folder changed meanwhile, the
   * outcome is dropped and `use` runs again on a fresh listing.
   */
  async function withFiles<T>(id: string, signal: AbortSignal | undefined, use: (files: Files) => Promise<T>) {
    assertTemplateId(id);
    const slash = id.lastIndexOf("/");
    const namespace = id.slice(0, slash);
    const leaf = id.slice(slash + 1);
    const folder = join(root, namespace);
    const kept = listings.kept(folder);
    if (kept !== undefined) {
      signal?.throwIfAborted();
      const [current, outcome] = await Promise.all([
        kept.stillCurrent(),
        (async () => use(filesOf(id, namespace, leaf, kept)))().then(
          (value) => ({ ok: true as const, value }),
          (error: unknown) => ({ ok: false as const, error }),
        ),
      ]);
      if (current) {
        if (outcome.ok) return outcome.value;
        throw outcome.error;
      }
      listings.forget(folder);
    }
    const listing = await listings.read(folder, () => readFolder(folder, signal));
    return use(filesOf(id, namespace, leaf, listing));
  }
  /** The highest version and, when reading it was needed to know, its entry. */
  async function highest({ plain, versioned }: Files, signal: AbortSignal | undefined) {
    const plainRead = plain ? await read(plain.name, plain.path, signal, plain.realFile) : undefined;
    // A pre-release is "latest" only when asked for (npm's semantics).
    const plainEntry = plainRead && (includePrerelease || !isPrerelease(plainRead.version)) ? plainRead : undefined;
    const top = highestVersion(versioned.keys(), { includePrerelease });
    if (plainEntry && (top === undefined || compareSemver(plainEntry.version, top) >= 0)) {
      return { version: plainEntry.version, entry: plainEntry as SourceEntry | undefined, versioned };
    }
    return { version: top, entry: undefined, versioned };
  }
  async function get(id: string, version?: string, readOptions?: SourceReadOptions): Promise<SourceEntry | undefined> {
    const signal = readOptions?.signal;
    return withFiles(id, signal, async (files) => {
      if (version === undefined) {
        const top = await highest(files, signal);
        if (top.entry !== undefined || top.version === undefined) return top.entry;
        const file = top.versioned.get(top.version)!;
        return read(file.name, file.path, signal, file.realFile);
      }
      const exact = files.versioned.get(version);
      if (exact) return read(exact.name, exact.path, signal, exact.realFile);
      if (!files.plain) return undefined;
      const entry = await read(files.plain.name, files.plain.path, signal, files.plain.realFile);
      return entry.version === version ? entry : undefined;
    });
  }
  async function latest(id: string, readOptions?: SourceReadOptions): Promise<LatestVersion | undefined> {
    const signal = readOptions?.signal;
    return withFiles(id, signal, async (files) => {
      const top = await highest(files, signal);
      if (top.version === undefined) return undefined;
      return top.entry === undefined ? { version: top.version } : { version: top.version, entry: top.entry };
    });
  }
  async function list(readOptions?: SourceReadOptions): Promise<TemplateRef[]> {
    const signal = readOptions?.signal;
    signal?.throwIfAborted();
    let files: string[];
    try {
      files = await readdir(root, { recursive: true });
    } catch (error) {
      throw isMissing(error) ? sourceUnavailable(root, error) : sourceReadError(root, error);
    }
    const refs = new Map<string, TemplateRef>();
    const seen = new Map<string, string>();
    for (const file of files.sort()) {
      const relativePath = sep === "/" ? file : file.split(sep).join("/");
      const name = parseTemplateFileName(relativePath);
      if (!name) continue;
      const stem = `${name.id}@${name.version ?? ""}`;
      const previous = seen.get(stem);
      if (previous !== undefined) throw ambiguous(root, previous, relativePath);
      seen.set(stem, relativePath);
      const version = name.version ?? (await read(name, relativePath, signal)).version;
      refs.set(`${name.id}@${version}`, { id: name.id, version });
    }
    return [...refs.values()].sort((a, b) =>
      a.id < b.id ? -1 : a.id > b.id ? 1 : compareSemver(a.version, b.version),
    );
  }

  async function check(readOptions?: SourceReadOptions): Promise<void> {
    readOptions?.signal?.throwIfAborted();
    await assertRoot();
  }

  const watch = (listener: (change: SourceChange) => void): (() => void) =>
    watchDirectory(root, listener, options.watch);

  return { name: `directory:${root}`, root, get, latest, list, check, watch };
}
