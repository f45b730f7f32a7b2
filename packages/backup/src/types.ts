import type { Clock, Signer, TemplateDigest, TrustPolicy, TrustPolicyDocument } from "@nextgen/core";
import type { ChangeStatus } from "./git/git-repository.js";

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
   * The wall clock (milliseconds since the Unix epoch) for commit dates, archive ids,
   * manifest signatures (`iat`, checked against key windows and `exp`), lock records and
   * retention ages: absolute instants, so a wall clock. A value that is not a `Clock`
   * throws `NG_ERR_OPTIONS_INVALID` naming `options.clock`.
   * @default wallClock
   */
  readonly clock?: Clock;
  /**
   * The `git` executable (a name looked up on `PATH`, or a path).
   * @default "git"
   */
  readonly gitBinary?: string;
  /**
   * Signs every archive's manifest (core's `Signer`: `localKeySigner`, `commandSigner`, a KMS).
   * The signature covers the whole manifest, including the archive's and every file's SHA-256,
   * so plaintext archives are authenticated too. Its id is `nextgen-backup/<tier>`: delegate it
   * in the trust policy with `"ids": ["nextgen-backup/*"]`.
   */
  readonly signer?: Signer;
  /**
   * Trust policy (or `trust.json` document) that archive manifests must satisfy: with it,
   * `verify`, `restore` and `prune`'s checks refuse an unsigned manifest or one whose
   * signatures the policy does not accept (`NG_ERR_BACKUP_SIGNATURE`), before the archive is
   * read. Must require signatures. Verified with core's verifier and a fresh in-memory
   * rollback state (restoring an older archive is not a template rollback).
   */
  readonly trust?: TrustPolicy | TrustPolicyDocument;
  /**
   * Refuse plaintext archives: `archive` needs a key, and `verify`/`restore` refuse an
   * archive whose manifest says it is not encrypted (`NG_ERR_BACKUP_ENCRYPTION`, reason
   * `encryption-downgrade`). Giving a key to `verify`/`restore` implies it for that call.
   * @default false
   */
  readonly requireEncryption?: boolean;
  /**
   * Cap, in bytes, on what one archive may unpack to. Decompression is bounded by what the
   * manifest's files take as a tar stream (sizes plus headers); a manifest promising more
   * than this cap is refused before anything is decompressed (`NG_ERR_BACKUP_TOO_LARGE`).
   * @default 536870912 (512 MiB)
   */
  readonly maxUnpackedBytes?: number;
}

/**
 * Progress of a long operation, reported to `onProgress`.
 *
 * @example
 * ```ts
 * const onProgress = (progress: BackupProgress) => console.error(`${progress.phase} ${progress.done}/${progress.total}`);
 * ```
 */
export interface BackupProgress {
  /** What is being done: reading the tree, writing files, checking files. */
  readonly phase: "read" | "write" | "verify";
  /** Items done so far. */
  readonly done: number;
  /** Items in total. */
  readonly total: number;
}

/**
 * Receives progress; anything it throws is ignored.
 *
 * @example
 * ```ts
 * const onProgress: ProgressListener = ({ phase, done, total }) => console.error(phase, done, total);
 * await backups.archive({ tier: "production", onProgress });
 * ```
 */
export type ProgressListener = (progress: BackupProgress) => void;

/**
 * Options of `snapshot`.
 *
 * @example
 * ```ts
 * const options: SnapshotOptions = { message: "Before the 2026-01 deploy" };
 * await backups.snapshot(options);
 * ```
 */
export interface SnapshotOptions {
  /** Commit message. */
  readonly message: string;
}

/**
 * Result of `snapshot`.
 *
 * @example
 * ```ts
 * const { changed, commit }: SnapshotResult = await backups.snapshot({ message: "nightly" });
 * ```
 */
export interface SnapshotResult {
  /** The head commit after the snapshot (`undefined` only for an empty source and an empty repository). */
  readonly commit: string | undefined;
  /** Whether the snapshot made a commit (false when nothing changed). */
  readonly changed: boolean;
  /** Number of files in the snapshot. */
  readonly files: number;
}

/**
 * One version of a template in the history.
 *
 * @example
 * ```ts
 * const [latest]: TemplateHistoryEntry[] = await backups.history("security/auditor");
 * ```
 */
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

/**
 * Changes between two snapshots.
 *
 * @example
 * ```ts
 * const diff: BackupDiff = await backups.diff(before, after);
 * console.log(diff.changes.map((change) => change.templateId ?? change.path));
 * ```
 */
export interface BackupDiff {
  readonly from: string;
  readonly to: string;
  /** Changed paths, with the template id their path implies. */
  readonly changes: readonly { readonly status: ChangeStatus; readonly path: string; readonly templateId?: string }[];
  /** Unified diff as `git diff` prints it. */
  readonly patch: string;
}
