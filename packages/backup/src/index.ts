// Public API of @nextgen/backup, listed by name.

export type { ArchiveOptions, VerifyOptions, VerifyReport } from "./archive/archive-types.js";
export type { ArchiveEncryption } from "./archive/encryption.js";
export type {
  BackupManifest,
  ManifestArchive,
  ManifestFile,
  ManifestRetention,
} from "./archive/manifest.js";
export type { TemplateRecord } from "./archive/template-info.js";
export { createBackupManager } from "./backup-manager.js";
export type { BackupManager } from "./backup-manager-interface.js";
export type { BackupErrorDetails, BackupErrorReason } from "./errors/backup-error.js";
export { BackupError } from "./errors/backup-error.js";
export { MINIMUM_GIT_VERSION } from "./git/git-command.js";
export type { ChangeStatus } from "./git/git-repository.js";
export type { RecoverOptions, RestoreOptions, RestoreResult, RollbackResult } from "./restore/restore-types.js";
export type { TrustFilesMode } from "./restore/trust-files.js";
export type { RetentionCandidate, RetentionDecision, RetentionPlan } from "./retention/plan-retention.js";
export { planRetention } from "./retention/plan-retention.js";
export type { PruneOptions, PruneResult } from "./retention/prune-types.js";
export type { RetentionPolicy } from "./retention/retention-policy.js";
export { DEFAULT_MAX_AGE_DAYS } from "./retention/retention-policy.js";
export type {
  BackupDiff,
  BackupManagerOptions,
  BackupProgress,
  ProgressListener,
  SnapshotOptions,
  SnapshotResult,
  TemplateHistoryEntry,
} from "./types.js";
