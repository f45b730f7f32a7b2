import { canonicalize } from "@nextgen/core";
import type { BackupManifest } from "./manifest.js";

/**
 * The bytes an encrypted archive is sealed to (AES-GCM associated data, after the magic):
 * the RFC 8785 canonical form of the manifest without `signatures` and without the two
 * fields that can only be known after encryption (`archive.size`, `archive.sha256`).
 * Any other change to the manifest beside the archive (tier, created, files, templates,
 * the encryption record) makes the GCM tag fail.
 *
 * The manifest holds only strings, integers, arrays and objects, so these bytes are also
 * what a recursive sort-keys `JSON.stringify` prints: the runbook's decryption one-liner
 * rebuilds them without the SDK.
 */
export function manifestBindingBytes(manifest: BackupManifest): Uint8Array {
  const { signatures: _signatures, archive, ...rest } = manifest;
  const { size: _size, sha256: _sha256, ...sealedArchive } = archive;
  return canonicalize({ ...rest, archive: sealedArchive });
}
