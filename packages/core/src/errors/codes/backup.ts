/** Codes raised by `@nextgen/backup`. */
export const BACKUP_ERROR_CODES = [
  "NG_ERR_BACKUP_GIT",
  "NG_ERR_BACKUP_CHECKSUM",
  "NG_ERR_BACKUP_LOCKED",
  "NG_ERR_BACKUP_NOT_FOUND",
] as const;
