import { NextGenError } from "@nextgen/core";
import type { TarFile } from "../archive/tar-writer.js";
import type { BackupErrorCode } from "../errors/backup-error-codes.js";
import { type GitRepositoryContext, listTree, readObjects, resolveCommit } from "./git-repository.js";

/** Every regular file of the commit `revision` names, with its contents (one `cat-file --batch`). */
export async function readCommitFiles(
  context: GitRepositoryContext,
  revision: string,
): Promise<{ commit: string; files: TarFile[] }> {
  const commit = await resolveCommit(context, revision);
  if (commit === undefined) {
    throw new NextGenError<BackupErrorCode>(
      "NG_ERR_BACKUP_NOT_FOUND",
      `No backup or commit ${JSON.stringify(revision)}.`,
    );
  }
  const entries = await listTree(context, commit);
  const blobs = await readObjects(
    context,
    entries.map((entry) => entry.object),
  );
  return {
    commit,
    files: entries.map((entry, index) => ({ path: entry.path, data: blobs[index] ?? Buffer.alloc(0) })),
  };
}
