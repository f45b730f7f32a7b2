import { readFile } from "node:fs/promises";
import { basename, dirname, isAbsolute, join, resolve } from "node:path";
import { BackupError } from "../errors/backup-error.js";
import { ioError } from "../errors/io-error.js";

/**
 * The record of a directory swap in progress, written before anything in the target's
 * parent changes. With it, a later run can tell which half of a swap a crash interrupted.
 */
export interface SwapJournal {
  readonly target: string;
  /** The new tree being prepared next to the target. */
  readonly staging: string;
  /** Where the old tree is moved during the swap. */
  readonly previous: string;
  /** `staging` until the staged tree is complete and verified; `swapping` after. */
  readonly phase: "staging" | "swapping";
}

/** The random part of the sibling names: 12 lowercase hex digits. */
const SUFFIX = /^[0-9a-f]{12}$/;

/** The sibling directory names a swap of `target` with `suffix` uses. */
export function swapSiblings(target: string, suffix: string): { staging: string; previous: string } {
  const parent = dirname(target);
  return {
    staging: join(parent, `.${basename(target)}.nextgen-staging-${suffix}`),
    previous: join(parent, `.${basename(target)}.nextgen-previous-${suffix}`),
  };
}

/** Decides whether a journal's target is one this manager may repair. */
export type TargetCheck = (target: string) => boolean;

function untrusted(journalPath: string, why: string): BackupError {
  return new BackupError(
    "NG_ERR_BACKUP_JOURNAL",
    "journal-untrusted",
    `Refusing the restore journal ${journalPath}: ${why}. Nothing was changed. If a restore into another directory was interrupted, run that restore again with the same target (or recover({ target })); otherwise inspect the journal and delete it by hand.`,
    { path: journalPath },
  );
}

/**
 * Reads and checks a journal. The repository it lives in is an untrusted location, so a
 * journal is accepted only when its target is one the caller vouches for and its staging
 * and previous paths are exactly the sibling names {@link swapSiblings} makes for that
 * target: a planted journal can then never make recovery delete or rename anything else.
 * Returns `undefined` when there is no journal.
 */
export async function readSwapJournal(journalPath: string, isTrusted: TargetCheck): Promise<SwapJournal | undefined> {
  let text: string;
  try {
    text = await readFile(journalPath, "utf8");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw ioError(error, journalPath, "read the restore journal");
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw untrusted(journalPath, "it is not JSON");
  }
  const journal = value as Partial<Record<keyof SwapJournal, unknown>> | null;
  if (typeof journal !== "object" || journal === null || Array.isArray(journal)) {
    throw untrusted(journalPath, "it is not an object");
  }
  const { target, staging, previous, phase } = journal;
  if (typeof target !== "string" || !isAbsolute(target) || resolve(target) !== target || dirname(target) === target) {
    throw untrusted(journalPath, "its target is not an absolute, normalised directory path");
  }
  if (phase !== "staging" && phase !== "swapping") throw untrusted(journalPath, "its phase is unknown");
  if (!isTrusted(target)) {
    throw untrusted(
      journalPath,
      `its target ${JSON.stringify(target)} is neither the source nor a restore target given to this manager`,
    );
  }
  const suffix = typeof staging === "string" ? /-([^-]*)$/.exec(staging)?.[1] : undefined;
  const expected = suffix !== undefined && SUFFIX.test(suffix) ? swapSiblings(target, suffix) : undefined;
  if (expected === undefined || staging !== expected.staging || previous !== expected.previous) {
    throw untrusted(
      journalPath,
      "its staging and previous paths are not the sibling names a swap of its target creates",
    );
  }
  return { target, staging, previous, phase };
}
