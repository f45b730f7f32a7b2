import { checkGitVersion } from "../git/git-command.js";
import { ensureRepository, type GitRepositoryContext } from "../git/git-repository.js";
import { recoverSwap } from "../restore/atomic-swap.js";
import { withRepositoryLock } from "./repository-lock.js";

/** Runs a manager's operations one at a time, under the repository lock, after crash recovery. */
export interface OperationRunner {
  /** Queues `work` behind this manager's earlier calls, then runs it holding the lock. */
  run<T>(operation: string, work: () => Promise<T>): Promise<T>;
  /** The target the most recent run repaired after a crash, if any. */
  lastRecovered(): string | undefined;
}

/**
 * Every operation goes through the same steps: check `git` once per manager (again after a
 * failure, so installing git fixes a running service), create the repository if needed, take
 * the lock, complete or undo a restore a crash interrupted, then do the work.
 *
 * Calls on one runner queue (a service that snapshots while a timer archives should not get
 * `NG_ERR_BACKUP_LOCKED` from itself); the file lock keeps other processes and managers out.
 */
export function createOperationRunner(
  git: GitRepositoryContext,
  lockPath: string,
  journalPath: string,
  now: () => number,
): OperationRunner {
  let gitChecked: Promise<string> | undefined;
  let recovered: string | undefined;
  let queue: Promise<unknown> = Promise.resolve();

  async function runNow<T>(operation: string, work: () => Promise<T>): Promise<T> {
    gitChecked ??= checkGitVersion(git.gitBinary);
    gitChecked.catch(() => {
      gitChecked = undefined;
    });
    await gitChecked;
    await ensureRepository(git);
    return withRepositoryLock(lockPath, operation, now, async () => {
      recovered = await recoverSwap(journalPath);
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
    lastRecovered: () => recovered,
  };
}
