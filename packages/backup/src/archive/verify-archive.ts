import { join } from "node:path";
import { NextGenError, type TrustPolicy } from "@nextgen/core";
import { BackupError } from "../errors/backup-error.js";
import type { BackupErrorCode } from "../errors/backup-error-codes.js";
import { readWholeFile } from "../fs/read-whole-file.js";
import type { ProgressListener } from "../types.js";
import { report } from "./create-archive.js";
import { decryptArchive } from "./encryption.js";
import { gunzipChecked } from "./gzip.js";
import type { BackupManifest } from "./manifest.js";
import { manifestBindingBytes } from "./manifest-binding.js";
import { verifyManifestSignature } from "./manifest-signature.js";
import { sha256Hex } from "./sha256.js";
import type { TarFile } from "./tar-file.js";
import { readTar } from "./tar-reader.js";
import { assertStoredSize, unpackBound } from "./unpacked-size.js";

/** What reading an archive checks besides its checksums. */
export interface ArchiveChecks {
  /** Key of an encrypted archive; with a key, a plaintext archive is refused. */
  readonly encryptionKey: Uint8Array | undefined;
  /** Refuse a plaintext archive even without a key. */
  readonly requireEncryption: boolean;
  /** When set, the manifest must carry signatures this policy accepts. */
  readonly trust: TrustPolicy | undefined;
  /** Cap on the bytes an archive may unpack to. */
  readonly maxUnpackedBytes: number;
  readonly onProgress?: ProgressListener | undefined;
}

/** Files of a verified archive, and who signed its manifest. */
export interface VerifiedArchive {
  readonly files: TarFile[];
  /** Key ids whose manifest signatures counted (empty without a trust policy). */
  readonly signedBy: string[];
}

function mismatch(id: string, what: string): NextGenError<BackupErrorCode> {
  return new NextGenError<BackupErrorCode>(
    "NG_ERR_BACKUP_CHECKSUM",
    `Backup ${id}: ${what} does not match its manifest.`,
  );
}

function assertEncryptionPolicy(manifest: BackupManifest, checks: ArchiveChecks): void {
  const { id } = manifest;
  if (manifest.archive.encryption === undefined) {
    if (checks.encryptionKey !== undefined || checks.requireEncryption) {
      // The manifest beside the archive decides nothing about whether to decrypt: an
      // attacker who swapped in a plaintext archive would otherwise restore it unchecked.
      throw new BackupError(
        "NG_ERR_BACKUP_ENCRYPTION",
        "encryption-downgrade",
        `Backup ${id} is not encrypted, but ${checks.encryptionKey !== undefined ? "a key was given" : "encryption is required"}: refusing a plaintext archive (it may have been swapped for the encrypted one).`,
      );
    }
    return;
  }
  if (checks.encryptionKey === undefined) {
    throw new NextGenError<BackupErrorCode>(
      "NG_ERR_BACKUP_ENCRYPTION",
      `Backup ${id} is encrypted with key ${JSON.stringify(manifest.archive.encryption.keyId)}; pass its key.`,
    );
  }
}

/** Reads the archive file, refusing one that is not exactly the size the manifest says before reading it. */
async function readArchiveFile(archivesDir: string, manifest: BackupManifest): Promise<Buffer> {
  const refuse = (): never => {
    throw mismatch(manifest.id, `archive file ${manifest.archive.file}`);
  };
  return readWholeFile(join(archivesDir, manifest.archive.file), {
    doing: "read the archive",
    notFound: (cause) =>
      new NextGenError<BackupErrorCode>(
        "NG_ERR_BACKUP_NOT_FOUND",
        `Backup ${manifest.id}: archive file ${manifest.archive.file} is missing.`,
        { cause },
      ),
    admit: (size, isFile) => {
      if (!isFile || size !== manifest.archive.size) refuse();
    },
    short: refuse,
  });
}

/**
 * Reads an archive and checks it against its manifest, cheapest and most decisive first:
 * the encryption policy (a key or `requireEncryption` refuses a plaintext archive), the
 * manifest signature (with a trust policy), the unpacked-size bound, the stored file's size
 * and SHA-256, the GCM tag over the ciphertext and the manifest (encrypted archives), the
 * SHA-256 of the tar.gz, a decompression capped at what the manifest accounts for, and the
 * set of files with each one's size and SHA-256. Returns the files, which are only trusted
 * after this.
 */
export async function readVerifiedArchive(
  archivesDir: string,
  manifest: BackupManifest,
  checks: ArchiveChecks,
): Promise<VerifiedArchive> {
  const { id } = manifest;
  assertEncryptionPolicy(manifest, checks);
  const signedBy = checks.trust === undefined ? [] : await verifyManifestSignature(manifest, checks.trust);
  const bound = unpackBound(id, manifest.files, checks.maxUnpackedBytes);
  assertStoredSize(id, manifest.archive.size, bound);
  const stored = await readArchiveFile(archivesDir, manifest);
  if (sha256Hex(stored) !== manifest.archive.sha256) throw mismatch(id, `archive file ${manifest.archive.file}`);
  const gzipped =
    checks.encryptionKey !== undefined && manifest.archive.encryption !== undefined
      ? decryptArchive(stored, checks.encryptionKey, id, manifestBindingBytes(manifest))
      : stored;
  if (sha256Hex(gzipped) !== manifest.archive.contentSha256) throw mismatch(id, "the tar.gz content");
  // Each entry is matched against the manifest before its data is read, so the entry
  // count is bounded by the manifest's and no entry is larger than its manifest size.
  const files = await readTar(gunzipChecked(gzipped, `Backup ${id}`, bound), {
    expect: (entry, index) => {
      const expected = manifest.files[index];
      if (expected === undefined) throw mismatch(id, "the number of files");
      if (expected.path !== entry.path || expected.size !== entry.size) throw mismatch(id, `file ${entry.path}`);
    },
  });
  if (files.length !== manifest.files.length) throw mismatch(id, "the number of files");
  for (const [index, file] of files.entries()) {
    const expected = manifest.files[index];
    if (expected === undefined || expected.path !== file.path) throw mismatch(id, `file ${file.path}`);
    if (expected.size !== file.data.length || expected.sha256 !== sha256Hex(file.data)) {
      throw mismatch(id, `file ${file.path}`);
    }
    report(checks.onProgress, "verify", index + 1, files.length);
  }
  return { files, signedBy };
}
