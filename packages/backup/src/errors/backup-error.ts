import { NextGenError } from "@nextgen/core";
import type { BackupErrorCode } from "./backup-error-codes.js";

/**
 * Why a backup operation refused or failed, finer than its code. Stable: tests and
 * runbooks may match on it.
 *
 * @example
 * ```ts
 * const reason: BackupErrorReason = "encryption-downgrade";
 * ```
 */
export type BackupErrorReason =
  /** The restore journal names paths this manager never swaps (planted or corrupt journal). */
  | "journal-untrusted"
  /** A key was given, or encryption is required, but the archive is plaintext. */
  | "encryption-downgrade"
  /** The GCM tag failed: wrong key, tampered ciphertext, or a manifest other than the one it was sealed with. */
  | "authentication-failed"
  /** A trust policy was given but the manifest carries no signature. */
  | "unsigned"
  /** The manifest's signature does not satisfy the trust policy. */
  | "signature-invalid"
  /** The manifest promises more bytes than the configured cap. */
  | "manifest-too-large"
  /** The archive decompresses to more than its manifest accounts for (a gzip bomb). */
  | "decompressed-too-large"
  /** The archive file is larger than its manifest says. */
  | "archive-too-large"
  /** A restore would replace `trust.json` or a rollback state file. */
  | "trust-files"
  /** The file system is full (ENOSPC, EDQUOT). */
  | "no-space"
  /** Permission denied (EACCES, EPERM) or a read-only file system (EROFS). */
  | "permission-denied"
  /** A path that should exist does not (ENOENT, ENOTDIR). */
  | "not-found"
  /** Any other file-system failure. */
  | "io";

/**
 * Fields of a {@link BackupError} besides code and message.
 *
 * @example
 * ```ts
 * const details: BackupErrorDetails = { path: "/var/backups/nextgen/archives" };
 * ```
 */
export interface BackupErrorDetails {
  /** The file or directory concerned, when there is one. */
  readonly path?: string;
  /** The underlying error. */
  readonly cause?: unknown;
}

/**
 * A `NextGenError` from `@nextgen/backup` with a machine-readable `reason` and, for
 * file-system failures, the `path` concerned. `NextGenError.is(error, code)` works on it.
 *
 * @example
 * ```ts
 * try {
 *   await backups.restore(id, { encryptionKey });
 * } catch (error) {
 *   if (error instanceof BackupError && error.reason === "encryption-downgrade") alertSecurityTeam(error);
 *   throw error;
 * }
 * ```
 */
export class BackupError extends NextGenError<BackupErrorCode> {
  override readonly name: string = "NextGenBackupError";
  /** Why, finer than the code. */
  readonly reason: BackupErrorReason;
  /** The file or directory concerned, when there is one. */
  readonly path: string | undefined;

  constructor(code: BackupErrorCode, reason: BackupErrorReason, message: string, details: BackupErrorDetails = {}) {
    super(code, message, details.cause === undefined ? undefined : { cause: details.cause });
    this.reason = reason;
    this.path = details.path;
  }
}
