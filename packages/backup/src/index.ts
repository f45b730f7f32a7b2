// Public API of @nextgen/backup, listed by name (no `export *`).

// The manager: snapshots in Git, archives with manifests, verify, restore, prune.

export type { ArchiveOptions, VerifyOptions, VerifyReport } from "./archive/archive-types.js";
export type { ArchiveEncryption } from "./archive/encryption.js";
export { createBackupManager } from "./backup-manager.js";
export type { BackupManager } from "./backup-manager-interface.js";
export type { ChangeStatus } from "./git/git-repository.js";
export type { RecoverOptions, RestoreOptions, RestoreResult, RollbackResult } from "./restore/restore-types.js";
export type { TrustFilesMode } from "./restore/trust-files.js";
export type { PruneOptions, PruneResult } from "./retention/prune-types.js";
export type {
  BackupDiff,
  BackupManagerOptions,
  BackupProgress,
  ProgressListener,
  SnapshotOptions,
  SnapshotResult,
  TemplateHistoryEntry,
} from "./types.js";

// Manifests: what an archive promises, as written beside it.

export type {
  BackupManifest,
  ManifestArchive,
  ManifestFile,
  ManifestRetention,
} from "./archive/manifest.js";
export type { TemplateRecord } from "./archive/template-info.js";

// Retention: which archives a policy keeps, as a pure plan.

export type { RetentionCandidate, RetentionDecision, RetentionPlan } from "./retention/plan-retention.js";
export { planRetention } from "./retention/plan-retention.js";
export type { RetentionPolicy } from "./retention/retention-policy.js";

// Errors.

export type { BackupErrorDetails, BackupErrorReason } from "./errors/backup-error.js";
export { BackupError } from "./errors/backup-error.js";
export type { BackupErrorCode } from "./errors/backup-error-codes.js";
