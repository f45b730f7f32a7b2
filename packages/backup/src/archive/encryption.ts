import { createCipheriv, createDecipheriv, randomBytes } from "node:crypto";
import { NextGenError } from "@nextgen/core";

/** First bytes of an encrypted archive: format name and version. */
export const ENCRYPTED_MAGIC: Buffer = Buffer.from("NGBKENC1", "ascii");
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
    throw new NextGenError("NG_ERR_BACKUP_ENCRYPTION", `An AES-256-GCM key must be 32 bytes, got ${key.byteLength}.`);
  }
}

/**
 * Encrypts with AES-256-GCM. Layout: `NGBKENC1` ‖ 12-byte IV ‖ ciphertext ‖ 16-byte tag. The
 * magic and the archive id are authenticated data, so an archive cannot be passed off as
 * another id's.
 */
export function encryptArchive(
  plaintext: Uint8Array,
  key: Uint8Array,
  archiveId: string,
  iv: Buffer = randomBytes(IV_BYTES),
): Buffer {
  assertKey(key);
  const cipher = createCipheriv("aes-256-gcm", key, iv, { authTagLength: TAG_BYTES });
  cipher.setAAD(Buffer.concat([ENCRYPTED_MAGIC, Buffer.from(archiveId, "utf8")]));
  const body = Buffer.concat([cipher.update(plaintext), cipher.final()]);
  return Buffer.concat([ENCRYPTED_MAGIC, iv, body, cipher.getAuthTag()]);
}

/** Decrypts and authenticates; a wrong key or any changed byte fails with `NG_ERR_BACKUP_ENCRYPTION`. */
export function decryptArchive(sealed: Uint8Array, key: Uint8Array, archiveId: string): Buffer {
  assertKey(key);
  const data = Buffer.from(sealed.buffer, sealed.byteOffset, sealed.byteLength);
  const headerLength = ENCRYPTED_MAGIC.length + IV_BYTES;
  if (data.length < headerLength + TAG_BYTES || !data.subarray(0, ENCRYPTED_MAGIC.length).equals(ENCRYPTED_MAGIC)) {
    throw new NextGenError("NG_ERR_BACKUP_ENCRYPTION", `Archive ${archiveId} is not an encrypted backup.`);
  }
  const iv = data.subarray(ENCRYPTED_MAGIC.length, headerLength);
  const tag = data.subarray(data.length - TAG_BYTES);
  const decipher = createDecipheriv("aes-256-gcm", key, iv, { authTagLength: TAG_BYTES });
  decipher.setAAD(Buffer.concat([ENCRYPTED_MAGIC, Buffer.from(archiveId, "utf8")]));
  decipher.setAuthTag(tag);
  try {
    return Buffer.concat([decipher.update(data.subarray(headerLength, data.length - TAG_BYTES)), decipher.final()]);
  } catch (error) {
    throw new NextGenError(
      "NG_ERR_BACKUP_ENCRYPTION",
      `Archive ${archiveId} failed AES-256-GCM authentication: wrong key or tampered ciphertext.`,
      { cause: error },
    );
  }
}
