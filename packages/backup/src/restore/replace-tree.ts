import type { TarFile } from "../archive/tar-writer.js";
import type { ProgressListener } from "../types.js";
import { swapDirectory } from "./atomic-swap.js";
import type { RestoreResult } from "./restore-types.js";
import { assertTreeMatches, compareTree, writeTree } from "./tree-files.js";
import { planTrustFiles, type TrustFilesMode } from "./trust-files.js";

/** One replacement of a directory by a tree, as restore and rollback ask for it. */
export interface TreeReplacement {
  /** Archive id or commit the tree comes from (for the result and the snapshot message). */
  readonly from: string;
  readonly target: string;
  readonly files: TarFile[];
  readonly dryRun: boolean;
  readonly trustFiles: TrustFilesMode;
  readonly onProgress: ProgressListener | undefined;
  /** Snapshots the tree about to be replaced; returns its commit (none for an empty tree). */
  snapshotReplaced(): Promise<string | undefined>;
}

/**
 * Replaces `target` by `files` through the one atomic path restore and rollback share:
 * the trust-file rule, the differences, then stage → verify → snapshot what is replaced →
 * swap. A dry run stops after the differences.
 */
export async function replaceTree(journalPath: string, replacement: TreeReplacement): Promise<RestoreResult> {
  const { from, target, dryRun, onProgress } = replacement;
  const { files, trustFiles } = await planTrustFiles(target, replacement.files, replacement.trustFiles, dryRun);
  const differences = await compareTree(target, files);
  if (dryRun) return { from, target, dryRun, ...differences, files: files.length, trustFiles };
  let preRestoreCommit: string | undefined;
  await swapDirectory(target, journalPath, {
    stage: (stagingDir) => writeTree(stagingDir, files, onProgress),
    verify: (stagingDir) => assertTreeMatches(stagingDir, files),
    beforeSwap: async () => {
      preRestoreCommit = await replacement.snapshotReplaced();
    },
  });
  return {
    from,
    target,
    dryRun,
    ...differences,
    files: files.length,
    trustFiles,
    ...(preRestoreCommit ? { preRestoreCommit } : {}),
  };
}
