import type { ProgressListener } from "../types.js";
import type { TrustFilesMode } from "./trust-files.js";

/**
 * Options of `restore`.
 *
 * @example
 * ```ts
 * const options: RestoreOptions = { target: "/srv/agents/templates", dryRun: true };
 * await backups.restore(archiveId, options);
 * ```
 */
export interface RestoreOptions {
  /**
   * Directory to restore into; replaced as a whole.
   * @default options.source
   */
  readonly target?: string;
  /** Report what would change without changing anything. */
  readonly dryRun?: boolean;
  /** Key of an encrypted archive; with a key, a plaintext archive is refused. */
  readonly encryptionKey?: Uint8Array;
  /**
   * Refuse a plaintext archive for this call.
   * @default options.requireEncryption of the manager
   */
  readonly requireEncryption?: boolean;
  /**
   * Cap on what the archive may unpack to, in bytes.
   * @default options.maxUnpackedBytes of the manager
   */
  readonly maxUnpackedBytes?: number;
  /**
   * What to do when the backup differs on `trust.json` or a rollback state file (`*.state.json`).
   * @default "refuse"
   */
  readonly trustFiles?: TrustFilesMode;
  /** Progress listener. */
  readonly onProgress?: ProgressListener;
}

/**
 * What a restore changed (or would change, on a dry run).
 *
 * @example
 * ```ts
 * const { added, changed, removed }: RestoreResult = await backups.restore(commit, { dryRun: true });
 * ```
 */
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
  /**
   * Snapshot commit of the tree that was replaced, taken just before the swap: of the source
   * on the main history when the target is the source, otherwise of the target on
   * `refs/nextgen/pre-restore`. `restore(preRestoreCommit, { target })` brings it back.
   * Absent on a dry run and when the target held no files.
   */
  readonly preRestoreCommit?: string;
  /**
   * Trust files (`trust.json`, `*.state.json`) on which the backup differs from the target
   * (added, changed or removed): changing or removing one is refused by default (reported on
   * a dry run); all are kept or replaced as `trustFiles` says.
   */
  readonly trustFiles: readonly string[];
}

/**
 * Options of `recover`.
 *
 * @example
 * ```ts
 * const options: RecoverOptions = { target: "/srv/agents/restored" };
 * await backups.recover(options);
 * ```
 */
export interface RecoverOptions {
  /**
   * A restore target other than the source whose interrupted restore may be completed. A
   * journal naming any other directory is refused (`NG_ERR_BACKUP_JOURNAL`).
   */
  readonly target?: string;
}

/**
 * Result of `rollback`.
 *
 * @example
 * ```ts
 * const { version, preRestoreCommit }: RollbackResult = await backups.rollback("security/auditor", "1.2.0");
 * ```
 */
export interface RollbackResult extends RestoreResult {
  readonly templateId: string;
  /** The commit the template came from. */
  readonly commit: string;
  /** The template version restored, when it parses. */
  readonly version?: string;
  /** The snapshot recording the rollback (absent on a dry run). */
  readonly snapshotCommit?: string;
}
