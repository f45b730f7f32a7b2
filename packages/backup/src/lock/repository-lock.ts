import { randomBytes } from "node:crypto";
import { link, open, readFile, rename, rm } from "node:fs/promises";
import { hostname } from "node:os";
import { type Clock, NextGenError } from "@nextgen/core";
import type { BackupErrorCode } from "../errors/backup-error-codes.js";
import { ioError } from "../errors/io-error.js";

/** Contents of a lock file. */
export interface LockOwner {
  readonly pid: number;
  readonly hostname: string;
  /** ISO 8601 time the lock was taken. */
  readonly created: string;
  /** The operation holding it (`snapshot`, `restore`, …). */
  readonly operation: string;
}

function isProcessAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: the process exists but belongs to another user.
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

async function readOwner(path: string): Promise<{ text: string; owner: LockOwner | undefined } | undefined> {
  try {
    const text = await readFile(path, "utf8");
    try {
      return { text, owner: JSON.parse(text) as LockOwner };
    } catch {
      return { text, owner: undefined };
    }
  } catch {
    return undefined;
  }
}

/** Creates the lock file with `O_EXCL`; returns false when it already exists. */
async function tryCreate(path: string, owner: LockOwner): Promise<boolean> {
  try {
    const handle = await open(path, "wx", 0o644);
    try {
      await handle.writeFile(`${JSON.stringify(owner)}\n`);
    } finally {
      await handle.close();
    }
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "EEXIST") return false;
    throw ioError(error, path, "create the repository lock");
  }
}

/**
 * Moves a stale lock out of the way. Renaming first and re-reading the moved file closes
 * the race where two processes both see the same stale lock: if what was moved is not the
 * stale lock that was judged (someone else already replaced it), it is put back.
 */
async function removeStale(path: string, staleText: string): Promise<void> {
  const aside = `${path}.stale-${randomBytes(6).toString("hex")}`;
  try {
    await rename(path, aside);
  } catch {
    return;
  }
  const moved = await readOwner(aside);
  if (moved !== undefined && moved.text !== staleText) {
    await link(aside, path).catch(() => undefined);
  }
  await rm(aside, { force: true });
}

/**
 * Holds `path` exclusively while `work` runs. A lock left by a dead process on this host
 * is stale and taken over; a live holder, or one on another host, makes this fail at once
 * with `NG_ERR_BACKUP_LOCKED` naming the holder (backups run from cron: waiting would pile
 * jobs up). `work` learns whether the lock was taken over from a dead process, so that it
 * can clear what that process left half done.
 */
export async function withRepositoryLock<T>(
  path: string,
  operation: string,
  clock: Clock,
  work: (tookOverStaleLock: boolean) => Promise<T>,
): Promise<T> {
  const owner: LockOwner = {
    pid: process.pid,
    hostname: hostname(),
    created: new Date(clock.now()).toISOString(),
    operation,
  };
  let tookOver = false;
  for (let attempt = 0; ; attempt++) {
    if (await tryCreate(path, owner)) break;
    const existing = await readOwner(path);
    if (existing === undefined) continue; // released between our create and read
    const holder = existing.owner;
    const stale =
      holder === undefined ||
      (holder.hostname === owner.hostname && typeof holder.pid === "number" && !isProcessAlive(holder.pid));
    if (stale && attempt < 5) {
      await removeStale(path, existing.text);
      tookOver = true;
      continue;
    }
    throw new NextGenError<BackupErrorCode>(
      "NG_ERR_BACKUP_LOCKED",
      holder === undefined
        ? `The backup repository is locked (${path}).`
        : `The backup repository is locked by ${holder.operation} (pid ${holder.pid} on ${holder.hostname} since ${holder.created}). If that process is gone, remove ${path}.`,
    );
  }
  try {
    return await work(tookOver);
  } finally {
    await rm(path, { force: true });
  }
}
