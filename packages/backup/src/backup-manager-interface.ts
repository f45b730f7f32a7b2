import type { ArchiveOptions, VerifyOptions, VerifyReport } from "./archive/archive-types.js";
import type { BackupManifest } from "./archive/manifest.js";
import type { RecoverOptions, RestoreOptions, RestoreResult, RollbackResult } from "./restore/restore-types.js";
import type { PruneOptions, PruneResult } from "./retention/prune-types.js";
import type { BackupDiff, SnapshotOptions, SnapshotResult, TemplateHistoryEntry } from "./types.js";

/**
 * Backs up one templates directory: Git snapshots, verified archives, retention and atomic
 * restore. Every method except `list` takes the repository lock, and first completes or
 * undoes a restore that a crash interrupted. Calls on one manager queue and run one after
 * another; another process (or another manager) holding the lock makes a call fail at once
 * with `NG_ERR_BACKUP_LOCKED`. Failures are `NextGenError`s with a
 * `NG_ERR_BACKUP_*` code (see `docs/errors.md`).
 *
 * @example
 * ```ts
 * const backups: BackupManager = createBackupManager({ source, repository, archives });
 * const { commit } = await backups.snapshot({ message: "before the deploy" });
 * await backups.rollback("security/auditor", "1.2.0");
 * await backups.restore(commit!, { dryRun: true });
 * ```
 */
export interface BackupManager {
  /** Commits the source directory to the repository; makes a commit only when something changed. */
  snapshot(options: SnapshotOptions): Promise<SnapshotResult>;
  /** Every snapshot that changed `templateId`, newest first. */
  history(templateId: string): Promise<TemplateHistoryEntry[]>;
  /** Paths changed between two snapshots, and the patch. */
  diff(from: string, to: string): Promise<BackupDiff>;
  /** Puts one template back as it was in an earlier snapshot (a commit, or a template version). */
  rollback(templateId: string, version: string, options?: { dryRun?: boolean }): Promise<RollbackResult>;
  /** Writes a reproducible archive and its manifest; returns the manifest. */
  archive(options: ArchiveOptions): Promise<BackupManifest>;
  /** Every archive's manifest, read from disk, newest first. */
  list(): Promise<BackupManifest[]>;
  /** Recomputes every checksum of an archive (and runs `git fsck --strict`). */
  verify(id: string, options?: VerifyOptions): Promise<VerifyReport>;
  /** Replaces the target directory by an archive or a snapshot commit, atomically. */
  restore(from: string, options?: RestoreOptions): Promise<RestoreResult>;
  /** Removes archives (and their manifests) that the policy does not keep. */
  prune(options: PruneOptions): Promise<PruneResult>;
  /**
   * Completes or undoes a restore a crash interrupted and removes what a killed operation
   * left (temporary files, git's stale index lock); every other operation runs it first.
   * Returns the target it repaired, if any.
   */
  recover(options?: RecoverOptions): Promise<string | undefined>;
}
