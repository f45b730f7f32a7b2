import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { NextGenError, type TemplateTier } from "@nextgen/core";
import type { ArchiveEncryption } from "./encryption.js";
import type { TemplateRecord } from "./template-info.js";

/**
 * One file in an archive.
 *
 * @example
 * ```ts
 * const files: readonly ManifestFile[] = manifest.files;
 * for (const { path, size, sha256 } of files) console.log(sha256, size, path);
 * ```
 */
export interface ManifestFile {
  /** Relative `/`-separated path. */
  readonly path: string;
  /** Size in bytes. */
  readonly size: number;
  /** Hex SHA-256 of the contents (what `sha256sum` prints). */
  readonly sha256: string;
}

/**
 * The archive file a manifest describes.
 *
 * @example
 * ```ts
 * const { file, sha256 }: ManifestArchive = manifest.archive; // `sha256sum <file>` prints the same
 * ```
 */
export interface ManifestArchive {
  /** File name inside the archives directory: `<id>.tar.gz` or `<id>.tar.gz.enc`. */
  readonly file: string;
  /** Size of that file in bytes. */
  readonly size: number;
  /** Hex SHA-256 of that file as stored (encrypted bytes when encrypted), so `sha256sum -c` works. */
  readonly sha256: string;
  /** Hex SHA-256 of the (decrypted) `.tar.gz`; equals `sha256` when not encrypted. */
  readonly contentSha256: string;
  /** Present when the archive is encrypted. */
  readonly encryption?: ArchiveEncryption;
}

/**
 * How long an archive is meant to be kept.
 *
 * @example
 * ```ts
 * const { expires }: ManifestRetention = manifest.retention;
 * ```
 */
export interface ManifestRetention {
  /** The tier whose maximum age applies. */
  readonly tier: TemplateTier;
  /** Maximum age in days at the time the archive was made. */
  readonly maxAgeDays: number;
  /** ISO 8601 instant after which prune removes the archive (unless it is the newest verified one). */
  readonly expires: string;
}

/**
 * The `<id>.manifest.json` written next to every archive. Its checksums are plain SHA-256
 * hex, so `sha256sum` checks them without this package.
 *
 * @example
 * ```ts
 * const manifest: BackupManifest = await backups.archive({ tier: "production" });
 * console.log(manifest.id, manifest.archive.sha256, manifest.files.length);
 * ```
 */
export interface BackupManifest {
  /** Format marker. */
  readonly format: "nextgen-backup";
  /** Manifest format version. */
  readonly formatVersion: 1;
  /** Backup id, also the file name stem. */
  readonly id: string;
  /** ISO 8601 creation time (UTC). */
  readonly created: string;
  /** Retention tier. */
  readonly tier: TemplateTier;
  /** Retention at creation time. */
  readonly retention: ManifestRetention;
  /** `@nextgen/backup` version that wrote it. */
  readonly sdkVersion: string;
  /** Snapshot commit of the repository taken with the archive (if any). */
  readonly commit?: string;
  /** The archive file. */
  readonly archive: ManifestArchive;
  /** Every file, sorted by path. */
  readonly files: readonly ManifestFile[];
  /** Every file that parses as a template. */
  readonly templates: readonly TemplateRecord[];
}

/** File name of a manifest. */
export function manifestFileName(id: string): string {
  return `${id}.manifest.json`;
}

/** Serialises a manifest (stable key order as declared, two-space indent, trailing newline). */
export function serializeManifest(manifest: BackupManifest): string {
  return `${JSON.stringify(manifest, null, 2)}\n`;
}

function invalid(id: string, reason: string): NextGenError {
  return new NextGenError("NG_ERR_BACKUP_ARCHIVE_INVALID", `Manifest of backup ${id} is invalid: ${reason}.`);
}

/** Reads and shape-checks `<archives>/<id>.manifest.json`. */
export async function readManifest(archivesDir: string, id: string): Promise<BackupManifest> {
  let text: string;
  try {
    text = await readFile(join(archivesDir, manifestFileName(id)), "utf8");
  } catch (error) {
    throw new NextGenError("NG_ERR_BACKUP_NOT_FOUND", `No backup with id ${JSON.stringify(id)} in ${archivesDir}.`, {
      cause: error,
    });
  }
  let value: Partial<BackupManifest>;
  try {
    value = JSON.parse(text) as Partial<BackupManifest>;
  } catch (error) {
    throw new NextGenError("NG_ERR_BACKUP_ARCHIVE_INVALID", `Manifest of backup ${id} is not JSON.`, { cause: error });
  }
  if (value.format !== "nextgen-backup") throw invalid(id, "format is not nextgen-backup");
  if (value.formatVersion !== 1) throw invalid(id, `unknown formatVersion ${String(value.formatVersion)}`);
  if (value.id !== id) throw invalid(id, `it names id ${JSON.stringify(value.id)}`);
  if (typeof value.created !== "string" || Number.isNaN(Date.parse(value.created))) throw invalid(id, "bad created");
  if (!Array.isArray(value.files) || typeof value.archive?.sha256 !== "string") throw invalid(id, "missing files");
  if (value.archive.file !== `${id}.tar.gz` && value.archive.file !== `${id}.tar.gz.enc`) {
    throw invalid(id, "archive.file does not belong to this id");
  }
  return value as BackupManifest;
}
