import { OptionsError } from "@nextgen/core";
import { checkMaxUnpackedBytes, type ResolvedBackupOptions } from "../options.js";
import type { ProgressListener } from "../types.js";
import { assertKey } from "./encryption.js";
import type { ArchiveChecks } from "./verify-archive.js";

/** The per-call options of `verify` and `restore` that decide how an archive is checked. */
export interface ArchiveCallOptions {
  readonly encryptionKey?: Uint8Array;
  readonly requireEncryption?: boolean;
  readonly maxUnpackedBytes?: number;
  readonly onProgress?: ProgressListener;
}

/** Combines a call's options with the manager's (the call wins), checking them first. */
export function resolveArchiveChecks(resolved: ResolvedBackupOptions, callOptions: ArchiveCallOptions): ArchiveChecks {
  if (callOptions.encryptionKey !== undefined) assertKey(callOptions.encryptionKey);
  if (callOptions.requireEncryption !== undefined && typeof callOptions.requireEncryption !== "boolean") {
    throw new OptionsError("options.requireEncryption", "must be a boolean.");
  }
  return {
    encryptionKey: callOptions.encryptionKey,
    requireEncryption: callOptions.requireEncryption ?? resolved.requireEncryption,
    trust: resolved.trust,
    maxUnpackedBytes:
      checkMaxUnpackedBytes(callOptions.maxUnpackedBytes, "options.maxUnpackedBytes") ?? resolved.maxUnpackedBytes,
    onProgress: callOptions.onProgress,
  };
}
