import { NextGenError } from "@nextgen/core";
import type { TarFile } from "../archive/tar-writer.js";
import type { BackupErrorCode } from "../errors/backup-error-codes.js";
import type { GitRepositoryContext } from "../git/git-repository.js";
import { readObjects } from "../git/git-repository.js";
import { templateHistory, templatePathsOf } from "../git/template-history.js";
import type { TemplateHistoryEntry } from "../types.js";
import { readTreeFiles } from "./tree-files.js";

/** What rolling one template back means: the snapshot chosen, and the whole new tree. */
export interface RollbackPlan {
  /** The snapshot the template comes back from. */
  readonly entry: TemplateHistoryEntry & { readonly path: string };
  /** The source tree as it is now, with only that template replaced by its old file. */
  readonly files: TarFile[];
}

// A version argument that looks like an abbreviated or full commit hash.
const COMMIT_PREFIX = /^[0-9a-f]{7,64}$/;

/**
 * Finds the newest snapshot where `templateId` had `version` (a template version, or a
 * commit or commit prefix), and builds the tree to restore: every current file except that
 * template's, plus its file at that snapshot. The tree then goes through the same atomic
 * swap as a full restore, so a crash cannot leave the rollback half-applied.
 */
export async function planRollback(
  context: GitRepositoryContext,
  source: string,
  templateId: string,
  version: string,
): Promise<RollbackPlan> {
  const entries = await templateHistory(context, templateId);
  const entry = entries.find(
    (candidate): candidate is TemplateHistoryEntry & { path: string } =>
      candidate.path !== undefined &&
      (candidate.version === version || (COMMIT_PREFIX.test(version) && candidate.commit.startsWith(version))),
  );
  if (entry === undefined) {
    throw new NextGenError<BackupErrorCode>(
      "NG_ERR_BACKUP_NOT_FOUND",
      `No snapshot of ${templateId} at ${JSON.stringify(version)}.`,
    );
  }
  const [data] = await readObjects(context, [`${entry.commit}:${entry.path}`]);
  const ownPaths = new Set(templatePathsOf(templateId));
  const files = (await readTreeFiles(source)).filter((file) => !ownPaths.has(file.path));
  files.push({ path: entry.path, data: data ?? Buffer.alloc(0) });
  return { entry, files };
}
