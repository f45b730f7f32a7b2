import { expect } from "vitest";
import { sha256Hex } from "../archive/sha256.js";
import { BackupError } from "../errors/backup-error.js";
import { readTreeFiles } from "../restore/tree-files.js";

/** Awaits `promise`, expects it to reject with a `BackupError`, and returns that error. */
export async function refusal(promise: Promise<unknown>): Promise<BackupError> {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(BackupError);
  return error as BackupError;
}

/**
 * Every file below `root` with the SHA-256 of its bytes: compare it before and after a refused
 * operation to show that nothing on disk changed.
 */
export async function diskState(root: string): Promise<Record<string, string>> {
  return Object.fromEntries((await readTreeFiles(root)).map((file) => [file.path, sha256Hex(file.data)]));
}
