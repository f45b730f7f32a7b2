import { mkdir, stat } from "node:fs/promises";
import { join } from "node:path";
import { type AuditEvent, errorCode, NextGenError, OptionsError } from "@nextgen/core";
import { type ArchiveCallOptions, resolveArchiveChecks } from "./archive/archive-checks.js";
import { isArchiveId } from "./archive/archive-id.js";
import type { VerifyOptions, VerifyReport } from "./archive/archive-types.js";
import { checkArchiveOptions, packTree, writeArchive } from "./archive/create-archive.js";
import { listManifests } from "./archive/list-manifests.js";
import { readManifest } from "./archive/manifest.js";
import type { TarFile } from "./archive/tar-writer.js";
import { type ArchiveChecks, readVerifiedArchive } from "./archive/verify-archive.js";
import { publishAudit } from "./audit.js";
import type { BackupManager } from "./backup-manager-interface.js";
import type { BackupErrorCode } from "./errors/backup-error-codes.js";
import { codedBoundaryError, withIo } from "./errors/io-error.js";
import { readCommitFiles } from "./git/commit-files.js";
import { commitWorkTree, fsckRepository, type GitRepositoryContext, PRE_RESTORE_BRANCH } from "./git/git-repository.js";
import { diffSnapshots } from "./git/snapshot-diff.js";
import { assertTemplateId, templateHistory } from "./git/template-history.js";
import { createOperationRunner } from "./lock/operation-runner.js";
import { resolveBackupOptions } from "./options.js";
import { checkRestoreTarget } from "./restore/check-target.js";
import { replaceTree } from "./restore/replace-tree.js";
import type { RestoreOptions, RestoreResult } from "./restore/restore-types.js";
import { planRollback } from "./restore/rollback-plan.js";
import { walkIfPresent } from "./restore/tree-files.js";
import type { TrustFilesMode } from "./restore/trust-files.js";
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
  const journalPath = join(resolved.repository, "nextgen-restore-journal.json");
  // Restore targets given to this manager: with the source, the only directories whose
  // interrupted swap a journal (an untrusted file in the repository) may make us repair.
  const trustedTargets = new Set<string>([resolved.source]);
  const runner = createOperationRunner(
    git,
    { lockPath: join(resolved.repository, "nextgen.lock"), journalPath, archives: resolved.archives },
    (target) => trustedTargets.has(target),
    resolved.clock,
  );
  const locked = <T>(operation: string, work: () => Promise<T>): Promise<T> =>
    runner.run(operation, work).catch((error: unknown) => {
      throw codedBoundaryError(error, resolved.repository, operation);
    });

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
      throw new NextGenError<BackupErrorCode>(
        "NG_ERR_BACKUP_NOT_FOUND",
        `The source directory ${resolved.source} does not exist.`,
      );
    }
  }

  /**
   * Snapshots the tree a restore is about to replace, so it stays one `restore <commit>`
   * away: the source on the main history, any other target on its own ref.
   */
  async function snapshotReplaced(from: string, target: string): Promise<string | undefined> {
    const message = `Pre-restore snapshot of ${target} before restoring ${from}`;
    if (target === resolved.source) {
      return (await sourceExists()) ? (await snapshotUnlocked(message)).commit : undefined;
    }
    if ((await walkIfPresent(target)).length === 0) return undefined;
    return (await commitWorkTree(git, target, message, resolved.clock.now(), PRE_RESTORE_BRANCH)).commit;
  }

  /** Restores `files` into `target` by the one atomic path restore and rollback share. */
  function replaceInto(
    from: string,
    target: string,
    files: TarFile[],
    dryRun: boolean,
    trustFiles: TrustFilesMode,
    onProgress: RestoreOptions["onProgress"],
  ): Promise<RestoreResult> {
    return replaceTree(journalPath, {
      from,
      target,
      files,
      dryRun,
      trustFiles,
      onProgress,
      snapshotReplaced: () => snapshotReplaced(from, target),
    });
  }

  const archiveChecks = (callOptions: ArchiveCallOptions): ArchiveChecks => resolveArchiveChecks(resolved, callOptions);

  async function verifyUnlocked(id: string, verifyOptions: VerifyOptions): Promise<VerifyReport> {
    const checks = archiveChecks(verifyOptions);
    const manifest = await readManifest(resolved.archives, id);
    const { files, signedBy } = await readVerifiedArchive(resolved.archives, manifest, checks);
    const checkRepository = verifyOptions.repository ?? true;
    if (checkRepository) await fsckRepository(git);
    return {
      id,
      files: files.length,
      decrypted: manifest.archive.encryption !== undefined,
      repositoryChecked: checkRepository,
      signedBy,
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
        // The plan keeps every current file but one template's: trust files never differ.
        const result = await replaceInto(
          `${templateId}@${entry.commit}`,
          resolved.source,
          files,
          dryRun,
          "refuse",
          undefined,
        );
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
      checkArchiveOptions(archiveOptions, resolved.requireEncryption);
      return locked("archive", async () => {
        await assertSourceExists();
        await withIo(resolved.archives, "create the archives directory", () =>
          mkdir(resolved.archives, { recursive: true }),
        );
        const packed = await packTree(resolved.source, new Set(), archiveOptions.onProgress);
        const createdMs = resolved.clock.now();
        const snapshot = await snapshotUnlocked(`Archive (${archiveOptions.tier})`);
        const manifest = await writeArchive(resolved.archives, packed, archiveOptions, createdMs, snapshot.commit, {
          signer: resolved.signer,
          clock: resolved.clock,
        });
        audit("backup.archive", { detail: { id: manifest.id, tier: manifest.tier, files: manifest.files.length } });
        return manifest;
      });
    },
    list: () => listManifests(resolved.archives),
    verify: async (id, verifyOptions = {}) => {
      assertOptionsObject(verifyOptions);
      return locked("verify", async () => {
        try {
          const report = await verifyUnlocked(id, verifyOptions);
          audit("backup.verify", { verdict: "accepted", detail: { id } });
          return report;
        } catch (error) {
          const reason = errorCode(error);
          audit("backup.verify", { verdict: "refused", reason, detail: { id } });
          throw error;
        }
      });
    },
    restore: async (from, restoreOptions = {}) => {
      assertOptionsObject(restoreOptions);
      if (typeof from !== "string") throw new OptionsError("from", "must be an archive id or a commit.");
      const target = await checkRestoreTarget(restoreOptions.target ?? resolved.source, [
        resolved.repository,
        resolved.archives,
      ]);
      const trustFilesMode = restoreOptions.trustFiles ?? "refuse";
      if (!["refuse", "keep", "replace"].includes(trustFilesMode)) {
        throw new OptionsError("options.trustFiles", 'must be "refuse", "keep" or "replace".');
      }
      const checks = isArchiveId(from) ? archiveChecks(restoreOptions) : undefined;
      trustedTargets.add(target);
      return locked("restore", async () => {
        const dryRun = restoreOptions.dryRun ?? false;
        const audited = (result: RestoreResult): RestoreResult => {
          if (!dryRun) {
            audit("backup.restore", {
              detail: {
                from: result.from,
                target,
                files: result.files,
                preRestoreCommit: result.preRestoreCommit,
                trustFiles: result.trustFiles,
              },
            });
          }
          return result;
        };
        if (checks !== undefined) {
          const manifest = await readManifest(resolved.archives, from);
          const { files } = await readVerifiedArchive(resolved.archives, manifest, checks);
          return audited(await replaceInto(from, target, files, dryRun, trustFilesMode, restoreOptions.onProgress));
        }
        const { commit, files } = await readCommitFiles(git, from);
        return audited(await replaceInto(commit, target, files, dryRun, trustFilesMode, restoreOptions.onProgress));
      });
    },
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
    recover: async (recoverOptions = {}) => {
      assertOptionsObject(recoverOptions);
      if (recoverOptions.target !== undefined) {
        trustedTargets.add(await checkRestoreTarget(recoverOptions.target, [resolved.repository, resolved.archives]));
      }
      return locked("recover", async () => {
        const { target, removed } = runner.lastRecovery();
        if (target !== undefined || removed.length > 0) audit("backup.recover", { detail: { target, removed } });
        return target;
      });
    },
  };
}
