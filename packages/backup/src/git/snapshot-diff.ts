import { NextGenError } from "@nextgen/core";
import type { BackupErrorCode } from "../errors/backup-error-codes.js";
import type { BackupDiff } from "../types.js";
import { diffCommits, type GitRepositoryContext, resolveCommit } from "./git-repository.js";

// A path names a template when it is `<namespace>/<name>.json` or `.json.zst`.
const TEMPLATE_PATH = /^(.+)\.json(\.zst)?$/;

/**
 * Changes between two snapshots (any commit-ish git resolves), each changed path with the
 * template id it implies, and the patch. Throws `NG_ERR_BACKUP_NOT_FOUND` for an unknown
 * commit.
 */
export async function diffSnapshots(context: GitRepositoryContext, from: string, to: string): Promise<BackupDiff> {
  const fromCommit = await resolveCommit(context, from);
  const toCommit = await resolveCommit(context, to);
  if (fromCommit === undefined || toCommit === undefined) {
    throw new NextGenError<BackupErrorCode>(
      "NG_ERR_BACKUP_NOT_FOUND",
      `No commit ${JSON.stringify(fromCommit === undefined ? from : to)}.`,
    );
  }
  const { changes, patch } = await diffCommits(context, fromCommit, toCommit);
  return {
    from: fromCommit,
    to: toCommit,
    changes: changes.map((change) => {
      const templateId = TEMPLATE_PATH.exec(change.path)?.[1];
      return templateId === undefined ? change : { ...change, templateId };
    }),
    patch,
  };
}
