import { randomBytes } from "node:crypto";
import { mkdir, rename, rm, stat } from "node:fs/promises";
import { dirname } from "node:path";
import { NextGenError } from "@nextgen/core";
import { syncDirectory } from "@nextgen/core/internal";
import type { BackupErrorCode } from "../errors/backup-error-codes.js";
import { ioError, isSystemError } from "../errors/io-error.js";
import { writeFileAtomic } from "../fs/atomic-write.js";
import { flushFileSystem } from "../fs/flush-file-system.js";
import { readSwapJournal, type SwapJournal, swapSiblings, type TargetCheck } from "./swap-journal.js";

async function exists(path: string): Promise<boolean> {
  try {
    await stat(path);
    return true;
  } catch {
    return false;
  }
}

/**
 * Finishes or undoes a swap a crash interrupted, from its journal:
 * - the target is missing and the staged tree was complete → move the staged tree in;
 * - the target is missing otherwise → move the old tree back;
 * then removes whatever is left over (staging or old tree) and the journal.
 * Returns the target it repaired, if any. A journal whose target `isTrusted` refuses, or
 * whose paths are not the swap's own sibling names, is refused with
 * `NG_ERR_BACKUP_JOURNAL` and nothing is touched (see `readSwapJournal`).
 */
export async function recoverSwap(journalPath: string, isTrusted: TargetCheck): Promise<string | undefined> {
  const journal = await readSwapJournal(journalPath, isTrusted);
  if (journal === undefined) return undefined;
  try {
    await repair(journal);
  } catch (error) {
    throw ioError(error, journal.target, "complete the interrupted restore of");
  }
  await rm(journalPath, { force: true });
  return journal.target;
}

async function repair(journal: SwapJournal): Promise<void> {
  if (!(await exists(journal.target))) {
    if (journal.phase === "swapping" && (await exists(journal.staging))) await rename(journal.staging, journal.target);
    else if (await exists(journal.previous)) await rename(journal.previous, journal.target);
    await syncDirectory(dirname(journal.target));
  }
  await rm(journal.staging, { recursive: true, force: true });
  await rm(journal.previous, { recursive: true, force: true });
}

/** The steps of a swap, supplied by restore and rollback. */
export interface SwapSteps {
  /** Writes the complete new tree into `stagingDir` (which exists and is empty). */
  stage(stagingDir: string): Promise<void>;
  /** Checks the staged tree; throws to abandon the swap with the target untouched. */
  verify(stagingDir: string): Promise<void>;
  /** Runs just before the swap (the pre-restore snapshot). */
  beforeSwap(): Promise<void>;
}

/**
 * Replaces directory `target` by a new tree so that, at every instant and after a crash at
 * any point followed by {@link recoverSwap}, `target` holds either the whole old tree or
 * the whole new one. The new tree is staged in a sibling directory (same file system, so
 * renames are atomic), verified, and swapped with two renames: target → previous, staging
 * → target. The journal records which of those happened.
 */
export async function swapDirectory(target: string, journalPath: string, steps: SwapSteps): Promise<void> {
  const parent = dirname(target);
  await mkdir(parent, { recursive: true }).catch((error) => {
    throw ioError(error, parent, "create the restore target's parent directory");
  });
  const journal: SwapJournal = { target, ...swapSiblings(target, randomBytes(6).toString("hex")), phase: "staging" };
  // Only this swap's own target is trusted while it cleans up after itself.
  const isOwnTarget = (candidate: string): boolean => candidate === target;
  await writeFileAtomic(journalPath, JSON.stringify(journal));
  try {
    await mkdir(journal.staging).catch((error) => {
      throw ioError(error, journal.staging, "create the staging directory");
    });
    await steps.stage(journal.staging);
    await steps.verify(journal.staging);
    // On disk before the swap publishes it: a rename is journaled by the file system, file
    // data is not, so a power cut just after the swap could otherwise leave empty files.
    await flushFileSystem(journal.staging);
    await steps.beforeSwap();
  } catch (error) {
    await recoverSwap(journalPath, isOwnTarget);
    throw error;
  }
  await writeFileAtomic(journalPath, JSON.stringify({ ...journal, phase: "swapping" } satisfies SwapJournal));
  try {
    if (await exists(target)) await rename(target, journal.previous);
    await rename(journal.staging, target);
    await syncDirectory(parent);
  } catch (error) {
    await recoverSwap(journalPath, isOwnTarget);
    if (isSystemError(error) && error.code !== "EXDEV" && error.code !== "EBUSY") {
      throw ioError(error, target, "swap in the restored tree at");
    }
    throw new NextGenError<BackupErrorCode>(
      "NG_ERR_BACKUP_RESTORE",
      `Could not swap ${target}: ${(error as Error).message}`,
      {
        cause: error,
      },
    );
  }
  await recoverSwap(journalPath, isOwnTarget); // removes the old tree and the journal
}
