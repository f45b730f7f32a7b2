import { resolve } from "node:path";
import { OptionsError } from "@nextgen/core";
import { type Clock, systemClock } from "./clock.js";
import { isSameOrInside } from "./fs/safe-path.js";
import type { BackupManagerOptions } from "./types.js";

/** Options with defaults applied and paths made absolute. */
export interface ResolvedBackupOptions {
  readonly source: string;
  readonly repository: string;
  readonly archives: string;
  readonly clock: Clock;
  readonly gitBinary: string;
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
  if (options.clock !== undefined && typeof options.clock?.now !== "function") {
    throw new OptionsError("options.clock", "must have a now() method.");
  }
  if (options.gitBinary !== undefined && (typeof options.gitBinary !== "string" || options.gitBinary.length === 0)) {
    throw new OptionsError("options.gitBinary", "must be a non-empty string.");
  }
  return { source, repository, archives, clock: options.clock ?? systemClock, gitBinary: options.gitBinary ?? "git" };
}
