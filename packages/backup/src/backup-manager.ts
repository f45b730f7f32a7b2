import { mkdir, stat } from "node:fs/promises";
import { join } from "node:path";
import { type AuditEvent, NextGenError, OptionsError } from "@nextgen/core";
import { isArchiveId } from "./archive/archive-id.js";
import type { VerifyOptions, VerifyReport } from "./archive/archive-types.js";
import { checkArchiveOptions, packTree, writeArchive } from "./archive/create-archive.js";
import { listManifests } from "./archive/list-manifests.js";
import { readManifest } from "./archive/manifest.js";
import type { TarFile } from "./archive/tar-writer.js";
import { readVerifiedArchive } from "./archive/verify-archive.js";
import { publishAudit } from "./audit.js";
import type { BackupManager } from "./backup-manager-interface.js";
import { readCommitFiles } from "./git/commit-files.js";
import { commitWorkTree, fsckRepository, type GitRepositoryContext } from "./git/git-repository.js";
import { diffSnapshots } from "./git/snapshot-diff.js";
import { assertTemplateId, templateHistory } from "./git/template-history.js";
import { createOperationRunner } from "./lock/operation-runner.js";
import { resolveBackupOptions } from "./options.js";
import { swapDirectory } from "./restore/atomic-swap.js";
import { checkRestoreTarget } from "./restore/check-target.js";
import type { RestoreOptions, RestoreResult } from "./restore/restore-types.js";
import { planRollback } from "./restore/rollback-plan.js";
import { assertTreeMatches, compareTree, writeTree } from "./restore/tree-files.js";
import { pruneArchives } from "./retention/prune-archives.js";
import type { BackupManagerOptions, SnapshotResult } from "./types.js";

// JavaScript callers can omit a required options object: refuse it with a coded error, not a TypeError.
function assertOptionsObject(options: unknown): void {
  if (typeof options !== "object" || options === null) throw new OptionsError("options", "must be an object.");
}

/**
 * Creates a backup manager for a templates directory.
 *
 * @example
 * ```ts
 * const backups = createBackupManager({ source: "./templates", repository: "/var/backups/nextgen/repo", archives: "/var/backups/nextgen/archives" });
 * await backups.snapshot({ message: "nightly" });
 * const manifest = await backups.archive({ tier: "production" });
 * await backups.verify(manifest.id);
 * ```
 */
export function createBackupManager(options: BackupManagerOptions): BackupManager {
  const resolved = resolveBackupOptions(options);
  const git: GitRepositoryContext = { gitBinary: resolved.gitBinary, gitDir: resolved.repository };
  const lockPath = join(resolved.repository, "nextgen.lock");
  const journalPath = join(resolved.repository, "nextgen-restore-journal.json");
  const runner = createOperationRunner(git, lockPath, journalPath, () => resolved.clock.now());
  const locked = <T>(operation: string, work: () => Promise<T>): Promise<T> => runner.run(operation, work);

  function audit(type: string, fields: Omit<AuditEvent, "type" | "time">): void {
    publishAudit(() => ({ type, time: resolved.clock.now(), verdict: "applied", ...fields }));
  }

  async function snapshotUnlocked(message: string): Promise<SnapshotResult> {
    if (typeof message !== "string" || message.trim().length === 0 || message.includes("\0")) {
      throw new OptionsError("options.message", "must be a non-empty commit message without NUL.");
    }
    await assertSourceExists();
    return commitWorkTree(git, resolved.source, message, resolved.clock.now());
  }

  async function sourceExists(): Promise<boolean> {
    return stat(resolved.source).then(
      (info) => info.isDirectory(),
      () => false,
    );
  }

  async function assertSourceExists(): Promise<void> {
    if (!(await sourceExists())) {
      throw new NextGenError("NG_ERR_BACKUP_NOT_FOUND", `The source directory ${resolved.source} does not exist.`);
    }
  }

  /** Restores `files` into `target` by the one atomic path restore and rollback share. */
  async function replaceTree(
    from: string,
    target: string,
    files: TarFile[],
    dryRun: boolean,
    onProgress: RestoreOptions["onProgress"],
  ): Promise<RestoreResult> {
    const differences = await compareTree(target, files);
    if (dryRun) return { from, target, dryRun, ...differences, files: files.length };
    let preRestoreCommit: string | undefined;
    await swapDirectory(target, journalPath, {
      stage: (stagingDir) => writeTree(stagingDir, files, onProgress),
      verify: (stagingDir) => assertTreeMatches(stagingDir, files),
      beforeSwap: async () => {
        if (await sourceExists()) {
          preRestoreCommit = (await snapshotUnlocked(`Pre-restore snapshot before restoring ${from} into ${target}`))
            .commit;
        }
      },
    });
    return {
      from,
      target,
      dryRun,
      ...differences,
      files: files.length,
      ...(preRestoreCommit ? { preRestoreCommit } : {}),
    };
  }

  async function verifyUnlocked(id: string, verifyOptions: VerifyOptions): Promise<VerifyReport> {
    const manifest = await readManifest(resolved.archives, id);
    const files = await readVerifiedArchive(
      resolved.archives,
      manifest,
      verifyOptions.encryptionKey,
      verifyOptions.onProgress,
    );
    const checkRepository = verifyOptions.repository ?? true;
    if (checkRepository) await fsckRepository(git);
    return {
      id,
      files: files.length,
      decrypted: manifest.archive.encryption !== undefined,
      repositoryChecked: checkRepository,
    };
  }

  return {
    snapshot: (snapshotOptions) =>
      locked("snapshot", async () => {
        const result = await snapshotUnlocked(snapshotOptions?.message);
        if (result.changed) audit("backup.snapshot", { detail: { commit: result.commit, files: result.files } });
        return result;
      }),
    history: async (templateId) => {
      assertTemplateId(templateId);
      return locked("history", () => templateHistory(git, templateId));
    },
    diff: (from, to) => locked("diff", () => diffSnapshots(git, from, to)),
    rollback: async (templateId, version, rollbackOptions) => {
      assertTemplateId(templateId);
      return locked("rollback", async () => {
        const { entry, files } = await planRollback(git, resolved.source, templateId, version);
        const dryRun = rollbackOptions?.dryRun ?? false;
        const result = await replaceTree(`${templateId}@${entry.commit}`, resolved.source, files, dryRun, undefined);
        const base = {
          ...result,
          templateId,
          commit: entry.commit,
          ...(entry.version ? { version: entry.version } : {}),
        };
        if (dryRun) return base;
        const recorded = await snapshotUnlocked(
          `Roll back ${templateId} to ${entry.version ?? entry.commit} (${entry.commit})`,
        );
        audit("backup.rollback", {
          templateId,
          ...(entry.version ? { version: entry.version } : {}),
          ...(entry.digest ? { digest: entry.digest } : {}),
          detail: { commit: entry.commit, preRestoreCommit: result.preRestoreCommit },
        });
        return { ...base, ...(recorded.commit ? { snapshotCommit: recorded.commit } : {}) };
      });
    },
    archive: async (archiveOptions) => {
      assertOptionsObject(archiveOptions);
      checkArchiveOptions(archiveOptions);
      return locked("archive", async () => {
        await assertSourceExists();
        await mkdir(resolved.archives, { recursive: true });
        const packed = await packTree(resolved.source, new Set(), archiveOptions.onProgress);
        const createdMs = resolved.clock.now();
        const snapshot = await snapshotUnlocked(`Archive (${archiveOptions.tier})`);
        const manifest = await writeArchive(resolved.archives, packed, archiveOptions, createdMs, snapshot.commit);
        audit("backup.archive", { detail: { id: manifest.id, tier: manifest.tier, files: manifest.files.length } });
        return manifest;
      });
    },
    list: () => listManifests(resolved.archives),
    verify: (id, verifyOptions = {}) =>
      locked("verify", async () => {
        try {
          const report = await verifyUnlocked(id, verifyOptions);
          audit("backup.verify", { verdict: "accepted", detail: { id } });
          return report;
        } catch (error) {
          const reason = NextGenError.is(error) ? error.code : "ERROR";
          audit("backup.verify", { verdict: "refused", reason, detail: { id } });
          throw error;
        }
      }),
    restore: (from, restoreOptions = {}) =>
      locked("restore", async () => {
        const target = await checkRestoreTarget(restoreOptions.target ?? resolved.source, [
          resolved.repository,
          resolved.archives,
        ]);
        const dryRun = restoreOptions.dryRun ?? false;
        const audited = (result: RestoreResult): RestoreResult => {
          if (!dryRun) audit("backup.restore", { detail: { from: result.from, target, files: result.files } });
          return result;
        };
        if (isArchiveId(from)) {
          const manifest = await readManifest(resolved.archives, from);
          const files = await readVerifiedArchive(
            resolved.archives,
            manifest,
            restoreOptions.encryptionKey,
            restoreOptions.onProgress,
          );
          return audited(await replaceTree(from, target, files, dryRun, restoreOptions.onProgress));
        }
        const { commit, files } = await readCommitFiles(git, from);
        return audited(await replaceTree(commit, target, files, dryRun, restoreOptions.onProgress));
      }),
    prune: async (pruneOptions) => {
      assertOptionsObject(pruneOptions);
      return locked("prune", async () => {
        const verifies = (id: string): Promise<boolean> =>
          verifyUnlocked(id, {
            ...(pruneOptions.encryptionKey ? { encryptionKey: pruneOptions.encryptionKey } : {}),
            repository: false,
          }).then(
            () => true,
            () => false,
          );
        const result = await pruneArchives(
          resolved.archives,
          await listManifests(resolved.archives),
          verifies,
          pruneOptions.policy,
          resolved.clock.now(),
          pruneOptions.dryRun ?? false,
        );
        if (result.removed.length > 0) audit("backup.prune", { detail: { removed: result.removed } });
        return result;
      });
    },
    recover: () => locked("recover", async () => runner.lastRecovered()),
  };
}
