import type { TemplateTier } from "@nextgen/core";
import type { ProgressListener } from "../types.js";

/**
 * Options of `archive`.
 *
 * @example
 * ```ts
 * const options: ArchiveOptions = { tier: "critical", encryptionKey: key, keyId: "backup-2026" };
 * await backups.archive(options);
 * ```
 */
export interface ArchiveOptions {
  /** Retention tier of this archive (drives its maximum age). */
  readonly tier: TemplateTier;
  /** 32-byte AES-256-GCM key; when given the archive is written as `<id>.tar.gz.enc`. */
  readonly encryptionKey?: Uint8Array;
  /** Name of the key, recorded in the manifest (required with `encryptionKey`). */
  readonly keyId?: string;
  /** Progress listener. */
  readonly onProgress?: ProgressListener;
}

/**
 * Options of `verify`.
 *
 * @example
 * ```ts
 * const options: VerifyOptions = { encryptionKey: key, repository: false };
 * await backups.verify(id, options);
 * ```
 */
export interface VerifyOptions {
  /** Key of an encrypted archive (the GCM tag is checked, so it is required for `.enc`). */
  readonly encryptionKey?: Uint8Array;
  /**
   * Refuse a plaintext archive for this call (a key given here implies it).
   * @default options.requireEncryption of the manager
   */
  readonly requireEncryption?: boolean;
  /**
   * Cap on what the archive may unpack to, in bytes.
   * @default options.maxUnpackedBytes of the manager
   */
  readonly maxUnpackedBytes?: number;
  /**
   * Also run `git fsck --strict` on the repository.
   * @default true
   */
  readonly repository?: boolean;
  /** Progress listener. */
  readonly onProgress?: ProgressListener;
}

/**
 * What `verify` checked.
 *
 * @example
 * ```ts
 * const { files, repositoryChecked }: VerifyReport = await backups.verify(id);
 * ```
 */
export interface VerifyReport {
  readonly id: string;
  /** Files whose size and SHA-256 matched. */
  readonly files: number;
  /** Whether the GCM tag was checked. */
  readonly decrypted: boolean;
  /** Whether `git fsck --strict` ran and passed. */
  readonly repositoryChecked: boolean;
  /** Key ids whose manifest signatures the trust policy accepted (empty without `options.trust`). */
  readonly signedBy: readonly string[];
}
