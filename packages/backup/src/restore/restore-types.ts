import type { ProgressListener } from "../types.js";

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
  /** Key of an encrypted archive. */
  readonly encryptionKey?: Uint8Array;
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
  /** Snapshot commit taken just before the swap (absent on a dry run). */
  readonly preRestoreCommit?: string;
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
