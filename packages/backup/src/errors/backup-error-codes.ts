/**
 * Every code `@nextgen/backup` raises itself (documented in `docs/errors.md`; a test checks
 * each is raised). Invalid options are core's `NG_ERR_OPTIONS_INVALID` (an `OptionsError`).
 */
export const BACKUP_ERROR_CODES = [
  "NG_ERR_BACKUP_GIT",
  "NG_ERR_BACKUP_CHECKSUM",
  "NG_ERR_BACKUP_LOCKED",
  "NG_ERR_BACKUP_NOT_FOUND",
  "NG_ERR_BACKUP_ENCRYPTION",
  "NG_ERR_BACKUP_RETENTION_POLICY",
  "NG_ERR_BACKUP_RESTORE",
  "NG_ERR_BACKUP_ARCHIVE_INVALID",
  "NG_ERR_BACKUP_JOURNAL",
  "NG_ERR_BACKUP_TOO_LARGE",
  "NG_ERR_BACKUP_SIGNATURE",
  "NG_ERR_BACKUP_IO",
] as const;

/**
 * The code a {@link BackupError} carries.
 *
 * @example
 * ```ts
 * const retryLater: BackupErrorCode[] = ["NG_ERR_BACKUP_LOCKED", "NG_ERR_BACKUP_GIT"];
 * if (error instanceof BackupError && retryLater.includes(error.code)) schedule();
 * ```
 */
export type BackupErrorCode = (typeof BACKUP_ERROR_CODES)[number];
