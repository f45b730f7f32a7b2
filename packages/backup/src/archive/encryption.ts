import { createCipheriv, createDecipheriv, randomBytes } from "node:crypto";
import { NextGenError } from "@nextgen/core";
import { BackupError } from "../errors/backup-error.js";
import type { BackupErrorCode } from "../errors/backup-error-codes.js";

/** First bytes of an encrypted archive: format name and version (2: sealed to its manifest). */
export const ENCRYPTED_MAGIC: Buffer = Buffer.from("NGBKENC2", "ascii");
/** Archives written before manifests were sealed in: the archive id alone is associated data. */
const LEGACY_MAGIC: Buffer = Buffer.from("NGBKENC1", "ascii");
const IV_BYTES = 12;
const TAG_BYTES = 16;

/**
 * The encryption record of a manifest.
 *
 * @example
 * ```ts
 * const encryption: ArchiveEncryption | undefined = manifest.archive.encryption;
 * if (encryption) console.log(`decrypt with key ${encryption.keyId}`);
 * ```
 */
export interface ArchiveEncryption {
  /** Always `AES-256-GCM`. */
  readonly algorithm: "AES-256-GCM";
  /** The caller's name for the key, so the right key can be found at restore time. */
  readonly keyId: string;
}

/** Checks the key is 32 raw bytes. */
export function assertKey(key: Uint8Array): void {
  if (key.byteLength !== 32) {
    throw new NextGenError<BackupErrorCode>(
      "NG_ERR_BACKUP_ENCRYPTION",
      `An AES-256-GCM key must be 32 bytes, got ${key.byteLength}.`,
    );
  }
}

/**
 * Encrypts with AES-256-GCM. Layout: `NGBKENC2` ‖ 12-byte IV ‖ ciphertext ‖ 16-byte tag. The
 * magic and `manifestBinding` (the manifest's canonical bytes, see `manifestBindingBytes`)
 * are associated data, so neither the archive nor the manifest beside it can be swapped or
 * edited without failing the tag.
 */
export function encryptArchive(
  plaintext: Uint8Array,
  key: Uint8Array,
  manifestBinding: Uint8Array,
  iv: Buffer = randomBytes(IV_BYTES),
): Buffer {
  assertKey(key);
  const cipher = createCipheriv("aes-256-gcm", key, iv, { authTagLength: TAG_BYTES });
  cipher.setAAD(Buffer.concat([ENCRYPTED_MAGIC, manifestBinding]));
  const body = Buffer.concat([cipher.update(plaintext), cipher.final()]);
  return Buffer.concat([ENCRYPTED_MAGIC, iv, body, cipher.getAuthTag()]);
}

/**
 * Decrypts and authenticates; a wrong key, any changed byte of the archive, or a manifest
 * other than the one it was sealed with fails with `NG_ERR_BACKUP_ENCRYPTION`. Archives in
 * the first format (`NGBKENC1`, sealed to the archive id only) still decrypt: their content
 * is authenticated by the tag and then checked file by file against the manifest.
 */
export function decryptArchive(
  sealed: Uint8Array,
  key: Uint8Array,
  archiveId: string,
  manifestBinding: Uint8Array,
): Buffer {
  assertKey(key);
  const data = Buffer.from(sealed.buffer, sealed.byteOffset, sealed.byteLength);
  const headerLength = ENCRYPTED_MAGIC.length + IV_BYTES;
  const magic = data.subarray(0, ENCRYPTED_MAGIC.length);
  const legacy = magic.equals(LEGACY_MAGIC);
  if (data.length < headerLength + TAG_BYTES || !(legacy || magic.equals(ENCRYPTED_MAGIC))) {
    throw new NextGenError<BackupErrorCode>(
      "NG_ERR_BACKUP_ENCRYPTION",
      `Archive ${archiveId} is not an encrypted backup.`,
    );
  }
  const iv = data.subarray(ENCRYPTED_MAGIC.length, headerLength);
  const tag = data.subarray(data.length - TAG_BYTES);
  const decipher = createDecipheriv("aes-256-gcm", key, iv, { authTagLength: TAG_BYTES });
  decipher.setAAD(Buffer.concat([magic, legacy ? Buffer.from(archiveId, "utf8") : manifestBinding]));
  decipher.setAuthTag(tag);
  try {
    return Buffer.concat([decipher.update(data.subarray(headerLength, data.length - TAG_BYTES)), decipher.final()]);
  } catch (error) {
    throw new BackupError(
      "NG_ERR_BACKUP_ENCRYPTION",
      "authentication-failed",
      `Archive ${archiveId} failed AES-256-GCM authentication: wrong key, tampered ciphertext, or a manifest other than the one it was sealed with.`,
      { cause: error },
    );
  }
}
