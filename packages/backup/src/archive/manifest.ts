import { join } from "node:path";
import { NextGenError, type TemplateSignature, type TemplateTier } from "@nextgen/core";
import { BackupError } from "../errors/backup-error.js";
import type { BackupErrorCode } from "../errors/backup-error-codes.js";
import { readWholeFile } from "../fs/read-whole-file.js";
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
  /**
   * Detached JWS signatures over the manifest (everything but this member), made by
   * `options.signer` with core's template signing: the same `{ protected, signature }`
   * entries as a template's. Checked against `options.trust` before the archive is read.
   */
  readonly signatures?: readonly TemplateSignature[];
}

/** Manifests larger than this are refused before they are parsed (about 100,000 files). */
export const MAX_MANIFEST_BYTES: number = 64 * 1024 * 1024;

/** File name of a manifest. */
export function manifestFileName(id: string): string {
  return `${id}.manifest.json`;
}

/** Serialises a manifest (stable key order as declared, two-space indent, trailing newline). */
export function serializeManifest(manifest: BackupManifest): string {
  return `${JSON.stringify(manifest, null, 2)}\n`;
}

function invalid(id: string, reason: string): NextGenError<BackupErrorCode> {
  return new NextGenError<BackupErrorCode>(
    "NG_ERR_BACKUP_ARCHIVE_INVALID",
    `Manifest of backup ${id} is invalid: ${reason}.`,
  );
}

async function readBounded(path: string, id: string, archivesDir: string): Promise<string> {
  const bytes = await readWholeFile(path, {
    doing: "read the manifest",
    notFound: (cause) =>
      new NextGenError<BackupErrorCode>(
        "NG_ERR_BACKUP_NOT_FOUND",
        `No backup with id ${JSON.stringify(id)} in ${archivesDir}.`,
        { cause },
      ),
    admit: (size, isFile) => {
      if (!isFile) throw invalid(id, "it is not a regular file");
      if (size > MAX_MANIFEST_BYTES) {
        throw new BackupError(
          "NG_ERR_BACKUP_TOO_LARGE",
          "manifest-too-large",
          `Manifest of backup ${id} is ${size} bytes, over the ${MAX_MANIFEST_BYTES}-byte limit; refusing to parse it.`,
          { path },
        );
      }
    },
  });
  return bytes.toString("utf8");
}

const SHA256_HEX = /^[0-9a-f]{64}$/;

function checkFiles(id: string, files: unknown): void {
  if (!Array.isArray(files)) throw invalid(id, "missing files");
  for (const file of files as Partial<ManifestFile>[]) {
    if (
      typeof file !== "object" ||
      file === null ||
      typeof file.path !== "string" ||
      !Number.isSafeInteger(file.size) ||
      (file.size as number) < 0 ||
      typeof file.sha256 !== "string" ||
      !SHA256_HEX.test(file.sha256)
    ) {
      throw invalid(id, "a files[] entry is not { path, size, sha256 }");
    }
  }
}

/** Reads (at most {@link MAX_MANIFEST_BYTES}) and shape-checks `<archives>/<id>.manifest.json`. */
export async function readManifest(archivesDir: string, id: string): Promise<BackupManifest> {
  if (typeof id !== "string" || id.length === 0 || id.includes("/") || id.includes("\\") || id.includes("\0")) {
    throw new NextGenError<BackupErrorCode>("NG_ERR_BACKUP_NOT_FOUND", `${JSON.stringify(id)} is not a backup id.`);
  }
  const text = await readBounded(join(archivesDir, manifestFileName(id)), id, archivesDir);
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw new NextGenError<BackupErrorCode>("NG_ERR_BACKUP_ARCHIVE_INVALID", `Manifest of backup ${id} is not JSON.`, {
      cause: error,
    });
  }
  if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) throw invalid(id, "it is not an object");
  const value = parsed as Partial<BackupManifest>;
  if (value.format !== "nextgen-backup") throw invalid(id, "format is not nextgen-backup");
  if (value.formatVersion !== 1) throw invalid(id, `unknown formatVersion ${String(value.formatVersion)}`);
  if (value.id !== id) throw invalid(id, `it names id ${JSON.stringify(value.id)}`);
  if (typeof value.created !== "string" || Number.isNaN(Date.parse(value.created))) throw invalid(id, "bad created");
  checkFiles(id, value.files);
  const archive = value.archive;
  if (
    typeof archive !== "object" ||
    archive === null ||
    typeof archive.sha256 !== "string" ||
    typeof archive.contentSha256 !== "string" ||
    !Number.isSafeInteger(archive.size)
  ) {
    throw invalid(id, "archive is not { file, size, sha256, contentSha256 }");
  }
  if (archive.file !== `${id}.tar.gz` && archive.file !== `${id}.tar.gz.enc`) {
    throw invalid(id, "archive.file does not belong to this id");
  }
  if ((archive.encryption !== undefined) !== archive.file.endsWith(".enc")) {
    throw invalid(id, "archive.encryption and the .enc file name disagree");
  }
  if (value.signatures !== undefined && !Array.isArray(value.signatures))
    throw invalid(id, "signatures is not an array");
  return value as BackupManifest;
}
