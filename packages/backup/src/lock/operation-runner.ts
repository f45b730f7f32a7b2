import type { Clock } from "@nextgen/core";
import { cleanTemporaryFiles } from "../fs/clean-temporary-files.js";
import { checkGitVersion } from "../git/git-command.js";
import { removeGitTemporaryObjects, removeStaleGitLocks } from "../git/git-locks.js";
import { ensureRepository, type GitRepositoryContext } from "../git/git-repository.js";
import { recoverSwap } from "../restore/atomic-swap.js";
import type { TargetCheck } from "../restore/swap-journal.js";
import { withRepositoryLock } from "./repository-lock.js";

/** What the runner needs to know about a manager's directories. */
export interface OperationRunnerPaths {
  readonly lockPath: string;
  readonly journalPath: string;
  readonly archives: string;
}

/** What the last recovery repaired or removed. */
export interface RecoveryReport {
  /** The target whose interrupted swap was completed or undone, if any. */
  readonly target: string | undefined;
  /** Temporary files and stale git locks removed (relative names). */
  readonly removed: readonly string[];
}

/** Runs a manager's operations one at a time, under the repository lock, after crash recovery. */
export interface OperationRunner {
  /** Queues `work` behind this manager's earlier calls, then runs it holding the lock. */
  run<T>(operation: string, work: () => Promise<T>): Promise<T>;
  /** What the most recent run repaired after a crash. */
  lastRecovery(): RecoveryReport;
}

/**
 * Every operation goes through the same steps: check `git` once per manager (again after a
 * failure, so installing git fixes a running service), create the repository if needed, take
 * the lock, clear what a killed operation left (temporary files; git's private index lock,
 * and ref locks when the lock was taken over from a dead process), complete or undo a
 * restore a crash interrupted, then do the work.
 *
 * Calls on one runner queue (a service that snapshots while a timer archives should not get
 * `NG_ERR_BACKUP_LOCKED` from itself); the file lock keeps other processes and managers out.
 */
export function createOperationRunner(
  git: GitRepositoryContext,
  paths: OperationRunnerPaths,
  isTrustedTarget: TargetCheck,
  clock: Clock,
): OperationRunner {
  let gitChecked: Promise<string> | undefined;
  let recovery: RecoveryReport = { target: undefined, removed: [] };
  let queue: Promise<unknown> = Promise.resolve();

  async function runNow<T>(operation: string, work: () => Promise<T>): Promise<T> {
    gitChecked ??= checkGitVersion(git.gitBinary);
    gitChecked.catch(() => {
      gitChecked = undefined;
    });
    await gitChecked;
    await ensureRepository(git);
    return withRepositoryLock(paths.lockPath, operation, clock, async (tookOverStaleLock) => {
      const removed = [
        ...(await cleanTemporaryFiles(paths.archives)),
        ...(await cleanTemporaryFiles(git.gitDir)),
        ...(await removeStaleGitLocks(git.gitDir, tookOverStaleLock)),
        ...(tookOverStaleLock ? await removeGitTemporaryObjects(git.gitDir) : []),
      ];
      const target = await recoverSwap(paths.journalPath, isTrustedTarget);
      recovery = { target, removed };
      return work();
    });
  }

  return {
    run<T>(operation: string, work: () => Promise<T>): Promise<T> {
      const turn = queue.then(
        () => runNow(operation, work),
        () => runNow(operation, work),
      );
      queue = turn.catch(() => undefined);
      return turn;
    },
    lastRecovery: () => recovery,
  };
}
