import type { TemplateDigest, TemplateTier } from "@nextgen/core";
import type { Clock } from "./clock.js";
import type { ChangeStatus } from "./git/git-repository.js";
import type { RetentionPlan } from "./retention/plan-retention.js";
import type { RetentionPolicy } from "./retention/retention-policy.js";

/**
 * Options of {@link createBackupManager}. Invalid values throw `NG_ERR_OPTIONS_INVALID`
 * naming the option when the manager is created.
 *
 * @example
 * ```ts
 * const options: BackupManagerOptions = {
 *   source: "./templates",
 *   repository: "/var/backups/nextgen/repo",
 *   archives: "/var/backups/nextgen/archives",
 * };
 * ```
 */
export interface BackupManagerOptions {
  /** The templates directory to back up (and the default restore target). */
  readonly source: string;
  /** A dedicated Git repository directory for snapshots; created (bare) on first use. Must not overlap `source`. */
  readonly repository: string;
  /** Directory holding `<id>.tar.gz[.enc]` and `<id>.manifest.json`; created on first use. Must not overlap `source`. */
  readonly archives: string;
  /**
   * Time source for commit dates, archive ids and retention.
   * @default the system clock
   */
  readonly clock?: Clock;
  /**
   * The `git` executable (a name looked up on `PATH`, or a path).
   * @default "git"
   */
  readonly gitBinary?: string;
}

/** Progress of a long operation, reported to `onProgress`. */
export interface BackupProgress {
  /** What is being done: reading the tree, writing files, checking files. */
  readonly phase: "read" | "write" | "verify";
  /** Items done so far. */
  readonly done: number;
  /** Items in total. */
  readonly total: number;
}

/** Receives progress; anything it throws is ignored. */
export type ProgressListener = (progress: BackupProgress) => void;

/** Options of `snapshot`. */
export interface SnapshotOptions {
  /** Commit message. */
  readonly message: string;
}

/** Result of `snapshot`. */
export interface SnapshotResult {
  /** The head commit after the snapshot (`undefined` only for an empty source and an empty repository). */
  readonly commit: string | undefined;
  /** Whether the snapshot made a commit (false when nothing changed). */
  readonly changed: boolean;
  /** Number of files in the snapshot. */
  readonly files: number;
}

/** One version of a template in the history. */
export interface TemplateHistoryEntry {
  /** Snapshot commit. */
  readonly commit: string;
  /** Commit time, ISO 8601. */
  readonly date: string;
  /** Commit message. */
  readonly message: string;
  /** Path of the template file at that commit; absent when the commit deleted it. */
  readonly path?: string;
  /** Template version, when the file parses. */
  readonly version?: string;
  /** Template digest, when the file parses. */
  readonly digest?: TemplateDigest;
}

/** Changes between two snapshots. */
export interface BackupDiff {
  readonly from: string;
  readonly to: string;
  /** Changed paths, with the template id their path implies. */
  readonly changes: readonly { readonly status: ChangeStatus; readonly path: string; readonly templateId?: string }[];
  /** Unified diff as `git diff` prints it. */
  readonly patch: string;
}

/** Options of `archive`. */
export interface ArchiveOptions {
  /** Retention tier of this archive (drives its maximum age). */
  readonly tier: TemplateTier;
  /** 32-byte AES-256-GCM key; when given the archive is written as `<id>.tar.gz.enc`. */
  readonly encryptionKey?: Uint8Array;
  /** Name of the key, recorded in the manifest (required with `encryptionKey`). */
  readonly keyId?: string;
  /** Progress listener. */
  readonly onProgress?: ProgressListener;
}

/** Options of `verify`. */
export interface VerifyOptions {
  /** Key of an encrypted archive (the GCM tag is checked, so it is required for `.enc`). */
  readonly encryptionKey?: Uint8Array;
  /**
   * Also run `git fsck --strict` on the repository.
   * @default true
   */
  readonly repository?: boolean;
  /** Progress listener. */
  readonly onProgress?: ProgressListener;
}

/** What `verify` checked. */
export interface VerifyReport {
  readonly id: string;
  /** Files whose size and SHA-256 matched. */
  readonly files: number;
  /** Whether the GCM tag was checked. */
  readonly decrypted: boolean;
  /** Whether `git fsck --strict` ran and passed. */
  readonly repositoryChecked: boolean;
}

/** Options of `restore`. */
export interface RestoreOptions {
  /**
   * Directory to restore into; replaced as a whole.
   * @default options.source
   */
  readonly target?: string;
  /** Report what would change without changing anything. */
  readonly dryRun?: boolean;
  /** Key of an encrypted archive. */
  readonly encryptionKey?: Uint8Array;
  /** Progress listener. */
  readonly onProgress?: ProgressListener;
}

/** What a restore changed (or would change, on a dry run). */
export interface RestoreResult {
  /** Archive id or commit restored. */
  readonly from: string;
  readonly target: string;
  readonly dryRun: boolean;
  /** Paths added, changed, removed relative to the previous target. */
  readonly added: readonly string[];
  readonly changed: readonly string[];
  readonly removed: readonly string[];
  /** Files in the restored tree. */
  readonly files: number;
  /** Snapshot commit taken just before the swap (absent on a dry run). */
  readonly preRestoreCommit?: string;
}

/** Result of `rollback`. */
export interface RollbackResult extends RestoreResult {
  readonly templateId: string;
  /** The commit the template came from. */
  readonly commit: string;
  /** The template version restored, when it parses. */
  readonly version?: string;
  /** The snapshot recording the rollback (absent on a dry run). */
  readonly snapshotCommit?: string;
}

/** Options of `prune`. */
export interface PruneOptions {
  /** Which archives to keep. */
  readonly policy: RetentionPolicy;
  /** Report the plan without removing anything. */
  readonly dryRun?: boolean;
  /** Key used to verify encrypted archives when looking for the newest verified one. */
  readonly encryptionKey?: Uint8Array;
}

/** Result of `prune`. */
export interface PruneResult {
  readonly dryRun: boolean;
  readonly plan: RetentionPlan;
  /** Ids removed (empty on a dry run). */
  readonly removed: readonly string[];
}
