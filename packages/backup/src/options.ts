import { resolve } from "node:path";
import { type Clock, OptionsError, type Signer, type TrustPolicy, wallClock } from "@nextgen/core";
import { resolveClock } from "@nextgen/core/internal";
import { manifestTrustPolicy } from "./archive/manifest-signature.js";
import { isSameOrInside } from "./fs/safe-path.js";
import type { BackupManagerOptions } from "./types.js";

/** Options with defaults applied and paths made absolute. */
export interface ResolvedBackupOptions {
  readonly source: string;
  readonly repository: string;
  readonly archives: string;
  readonly clock: Clock;
  readonly gitBinary: string;
  readonly signer: Signer | undefined;
  /** Compiled, and checked to require signatures. */
  readonly trust: TrustPolicy | undefined;
  readonly requireEncryption: boolean;
  readonly maxUnpackedBytes: number;
}

/** Default of `maxUnpackedBytes`: 512 MiB. */
export const DEFAULT_MAX_UNPACKED_BYTES: number = 512 * 1024 * 1024;

/** Checks a `maxUnpackedBytes` option (a positive safe integer). */
export function checkMaxUnpackedBytes(value: unknown, name: string): number | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== "number" || !Number.isSafeInteger(value) || value <= 0) {
    throw new OptionsError(name, "must be a positive integer number of bytes.");
  }
  return value;
}

function requirePath(options: BackupManagerOptions, name: "source" | "repository" | "archives"): string {
  const value = options[name];
  if (typeof value !== "string" || value.length === 0)
    throw new OptionsError(`options.${name}`, "must be a directory path.");
  return resolve(value);
}

/** Validates the options of `createBackupManager`; throws `OptionsError` naming the option. */
export function resolveBackupOptions(options: BackupManagerOptions): ResolvedBackupOptions {
  if (typeof options !== "object" || options === null) throw new OptionsError("options", "must be an object.");
  const source = requirePath(options, "source");
  const repository = requirePath(options, "repository");
  const archives = requirePath(options, "archives");
  for (const [name, path] of [
    ["repository", repository],
    ["archives", archives],
  ] as const) {
    // A repository or archive directory inside the source would back itself up (and be replaced on restore).
    if (isSameOrInside(source, path) || isSameOrInside(path, source)) {
      throw new OptionsError(`options.${name}`, `must not be inside options.source or contain it (${path}).`);
    }
  }
  const clock = resolveClock(options.clock, "options.clock", wallClock);
  if (options.gitBinary !== undefined && (typeof options.gitBinary !== "string" || options.gitBinary.length === 0)) {
    throw new OptionsError("options.gitBinary", "must be a non-empty string.");
  }
  if (
    options.signer !== undefined &&
    (typeof options.signer !== "object" || options.signer === null || typeof options.signer.sign !== "function")
  ) {
    throw new OptionsError("options.signer", "must be a Signer ({ keyId, algorithm, sign }).");
  }
  if (options.requireEncryption !== undefined && typeof options.requireEncryption !== "boolean") {
    throw new OptionsError("options.requireEncryption", "must be a boolean.");
  }
  return {
    source,
    repository,
    archives,
    clock,
    gitBinary: options.gitBinary ?? "git",
    signer: options.signer,
    trust: options.trust === undefined ? undefined : manifestTrustPolicy(options.trust, clock),
    requireEncryption: options.requireEncryption ?? false,
    maxUnpackedBytes:
      checkMaxUnpackedBytes(options.maxUnpackedBytes, "options.maxUnpackedBytes") ?? DEFAULT_MAX_UNPACKED_BYTES,
  };
}
