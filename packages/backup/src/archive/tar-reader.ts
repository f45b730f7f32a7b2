import { NextGenError } from "@nextgen/core";
import { extract } from "tar-stream";
import { assertSafeRelativePath } from "../fs/safe-path.js";
import type { TarEntryInfo, TarFile } from "./tar-file.js";
import { assertEndOfArchive, assertExtensionHeaders, invalidTar, TAR_BLOCK, tarBlocks } from "./tar-layout.js";

/** Checks on the entries of a tar stream beyond its own validity. */
export interface ReadTarOptions {
  /**
   * Called with each regular file's checked path and declared size, in order, before its
   * data is read; throw to stop reading (for example when it is not the file a manifest
   * lists at `index`, or `index` is past the manifest's end).
   */
  readonly expect?: (entry: TarEntryInfo, index: number) => void;
}

/** `tar-stream`'s header, with the offset of the entry's data it sets but does not type. */
interface ParsedHeader {
  readonly name: string;
  readonly size?: number | undefined;
  readonly type?: string | null | undefined;
  readonly byteOffset?: unknown;
  readonly pax?: Record<string, string> | null;
}

/**
 * Reads a whole (already size-bounded) tar stream with `tar-stream`: as written by
 * `writeTar` and by GNU tar for regular files. Every header checksum is checked (by
 * `tar-stream`); accepted are regular files (`0`), directories (`5`, skipped: the file paths
 * imply them) and one local PAX header (`x`) per entry with only `path`, `size`, times and
 * owner records. Refused with `NG_ERR_BACKUP_ARCHIVE_INVALID`: links, symlinks, devices,
 * FIFOs, contiguous files, GNU long names, global PAX headers, other PAX records, duplicate
 * paths, corrupt or truncated headers and a missing end-of-archive marker; with
 * `NG_ERR_BACKUP_RESTORE`, any path that could escape the extraction directory.
 *
 * @example
 * ```ts
 * const files = await readTar(await writeTar([{ path: "a.json", data: Buffer.from("{}") }]));
 * files[0]?.path; // "a.json"
 * ```
 */
export function readTar(archive: Buffer, options: ReadTarOptions = {}): Promise<TarFile[]> {
  const files: TarFile[] = [];
  const seen = new Set<string>();
  let end = 0;
  const parser = extract();
  // Events rather than async iterators: a promise per entry and chunk cost 2× the parse.
  return new Promise<TarFile[]>((resolve, reject) => {
    let failed = false;
    const fail = (error: unknown): void => {
      if (failed) return;
      failed = true;
      parser.destroy();
      reject(error instanceof NextGenError ? error : invalidTar((error as Error).message.replace(/\.$/, "")));
    };
    parser.on("entry", (parsed, stream, next) => {
      const header = parsed as ParsedHeader;
      const size = header.size ?? 0;
      let path: string;
      try {
        if (typeof header.byteOffset !== "number") throw invalidTar("the parser gave no entry offset");
        assertExtensionHeaders(archive, end, header.byteOffset - TAR_BLOCK, header.pax ?? null);
        end = header.byteOffset + tarBlocks(size);
        if (header.type === "directory") {
          stream.on("end", () => next());
          stream.resume();
          return;
        }
        if (header.type !== "file") throw invalidTar(`entry type ${JSON.stringify(header.type)} is not a regular file`);
        path = header.name;
        if (seen.has(path)) throw invalidTar(`duplicate entry ${JSON.stringify(path)}`);
        seen.add(assertSafeRelativePath(path));
        options.expect?.({ path, size }, files.length);
      } catch (error) {
        fail(error);
        return;
      }
      const chunks: Buffer[] = [];
      stream.on("data", (chunk) => chunks.push(chunk as Buffer));
      stream.on("end", () => {
        files.push({ path, data: Buffer.concat(chunks, size) });
        next();
      });
    });
    parser.on("error", fail);
    parser.on("finish", () => {
      try {
        assertEndOfArchive(archive, end);
        resolve(files);
      } catch (error) {
        fail(error);
      }
    });
    parser.end(archive);
  });
}
