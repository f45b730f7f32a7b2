import { readdir } from "node:fs/promises";
import { NextGenError } from "@nextgen/core";
import { ioError } from "../errors/io-error.js";
import { isArchiveId } from "./archive-id.js";
import { type BackupManifest, readManifest } from "./manifest.js";

const SUFFIX = ".manifest.json";

/**
 * Reads every `<id>.manifest.json` of an archives directory, newest first. Only the disk
 * is consulted, so a new process sees every archive. Files whose name is not an archive id
 * are ignored; a malformed manifest fails with `NG_ERR_BACKUP_ARCHIVE_INVALID`, an
 * unreadable directory with `NG_ERR_BACKUP_IO`.
 */
export async function listManifests(archivesDir: string): Promise<BackupManifest[]> {
  let names: string[];
  try {
    names = await readdir(archivesDir);
  } catch (error) {
    // No archives directory yet: no archives. Anything else (EACCES) must not read as "none".
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return [];
    throw ioError(error, archivesDir, "list the archives in");
  }
  const ids = names.filter((name) => name.endsWith(SUFFIX)).map((name) => name.slice(0, -SUFFIX.length));
  // list() takes no lock: a manifest that a concurrent prune removed after readdir is skipped.
  const read = await Promise.all(
    ids.filter(isArchiveId).map((id) =>
      readManifest(archivesDir, id).catch((error: unknown) => {
        if (NextGenError.is(error, "NG_ERR_BACKUP_NOT_FOUND")) return undefined;
        throw error;
      }),
    ),
  );
  const manifests = read.filter((manifest): manifest is BackupManifest => manifest !== undefined);
  return manifests.sort((left, right) =>
    left.created !== right.created ? (left.created < right.created ? 1 : -1) : left.id < right.id ? 1 : -1,
  );
}
