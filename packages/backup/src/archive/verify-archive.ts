import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { NextGenError } from "@nextgen/core";
import type { ProgressListener } from "../types.js";
import { report } from "./create-archive.js";
import { decryptArchive } from "./encryption.js";
import { gunzipChecked } from "./gzip.js";
import type { BackupManifest } from "./manifest.js";
import { sha256Hex } from "./sha256.js";
import { readTar } from "./tar-reader.js";
import type { TarFile } from "./tar-writer.js";

function mismatch(id: string, what: string): NextGenError {
  return new NextGenError("NG_ERR_BACKUP_CHECKSUM", `Backup ${id}: ${what} does not match its manifest.`);
}

/**
 * Reads an archive and checks it against its manifest: size and SHA-256 of the stored
 * file, the GCM tag (encrypted archives), the SHA-256 of the tar.gz, and the set of files
 * with each one's size and SHA-256. Returns the files, which are only trusted after this.
 */
export async function readVerifiedArchive(
  archivesDir: string,
  manifest: BackupManifest,
  encryptionKey: Uint8Array | undefined,
  onProgress?: ProgressListener,
): Promise<TarFile[]> {
  const { id } = manifest;
  let stored: Buffer;
  try {
    stored = await readFile(join(archivesDir, manifest.archive.file));
  } catch (error) {
    throw new NextGenError(
      "NG_ERR_BACKUP_NOT_FOUND",
      `Backup ${id}: archive file ${manifest.archive.file} is missing.`,
      {
        cause: error,
      },
    );
  }
  if (stored.length !== manifest.archive.size || sha256Hex(stored) !== manifest.archive.sha256) {
    throw mismatch(id, `archive file ${manifest.archive.file}`);
  }
  let gzipped = stored;
  if (manifest.archive.encryption !== undefined) {
    if (encryptionKey === undefined) {
      throw new NextGenError(
        "NG_ERR_BACKUP_ENCRYPTION",
        `Backup ${id} is encrypted with key ${JSON.stringify(manifest.archive.encryption.keyId)}; pass its key.`,
      );
    }
    gzipped = decryptArchive(stored, encryptionKey, id);
  }
  if (sha256Hex(gzipped) !== manifest.archive.contentSha256) throw mismatch(id, "the tar.gz content");
  const files = readTar(gunzipChecked(gzipped, `Backup ${id}`));
  if (files.length !== manifest.files.length) throw mismatch(id, "the number of files");
  for (const [index, file] of files.entries()) {
    const expected = manifest.files[index];
    if (expected === undefined || expected.path !== file.path) throw mismatch(id, `file ${file.path}`);
    if (expected.size !== file.data.length || expected.sha256 !== sha256Hex(file.data)) {
      throw mismatch(id, `file ${file.path}`);
    }
    report(onProgress, "verify", index + 1, files.length);
  }
  return files;
}
