import { execFile } from "node:child_process";
import { devNull } from "node:os";
import { NextGenError } from "@nextgen/core";
import { BackupError } from "../errors/backup-error.js";
import type { BackupErrorCode } from "../errors/backup-error-codes.js";

/**
 * Oldest `git` this package is written against (every command and flag it uses exists
 * there), as `[major, minor]`. An older `git` is refused with `NG_ERR_BACKUP_GIT`.
 *
 * @example
 * ```ts
 * console.log(`needs git ≥ ${MINIMUM_GIT_VERSION.join(".")}`);
 * ```
 */
export const MINIMUM_GIT_VERSION: readonly [number, number] = [2, 25];

/** How one git invocation is made. */
export interface GitInvocation {
  /** The `git` executable. */
  readonly gitBinary: string;
  /** The repository (`--git-dir`). */
  readonly gitDir: string;
  /** The work tree, when the command needs one. */
  readonly workTree?: string;
  /** Extra environment (author dates, index file). */
  readonly env?: Readonly<Record<string, string>>;
  /** Bytes written to the command's standard input. */
  readonly input?: string | Uint8Array;
}

/** Output of a git command. */
export interface GitOutput {
  readonly stdout: Buffer;
  readonly stderr: string;
}

// Variables that would redirect git to another repository, index or config than ours.
const INHERITED_GIT_VARIABLES = /^GIT_/;

/**
 * Runs `git` with `execFile` (never a shell), in an environment cut off from the user's
 * global and system config and from `GIT_*` variables of the caller, so that hooks,
 * signing settings or a `GIT_DIR` in the environment can never change what a backup does.
 */
export function runGit(args: readonly string[], invocation: GitInvocation): Promise<GitOutput> {
  const env: Record<string, string> = {};
  for (const [name, value] of Object.entries(process.env)) {
    if (value !== undefined && !INHERITED_GIT_VARIABLES.test(name)) env[name] = value;
  }
  Object.assign(env, {
    GIT_CONFIG_NOSYSTEM: "1",
    GIT_CONFIG_GLOBAL: devNull,
    GIT_TERMINAL_PROMPT: "0",
    LC_ALL: "C",
    ...invocation.env,
  });
  const fullArgs = [
    "-c",
    "core.autocrlf=false",
    "-c",
    "core.quotepath=false",
    "-c",
    "commit.gpgsign=false",
    `--git-dir=${invocation.gitDir}`,
    ...(invocation.workTree === undefined ? [] : [`--work-tree=${invocation.workTree}`]),
    ...args,
  ];
  return new Promise((resolve, reject) => {
    const child = execFile(
      invocation.gitBinary,
      fullArgs,
      { env, encoding: "buffer", maxBuffer: 1024 * 1024 * 1024, windowsHide: true },
      (error, stdout, stderr) => {
        const stderrText = stderr.toString("utf8").trim();
        if (error === null) {
          resolve({ stdout, stderr: stderrText });
          return;
        }
        if ((error as NodeJS.ErrnoException).code === "ENOENT") {
          reject(
            new NextGenError<BackupErrorCode>(
              "NG_ERR_BACKUP_GIT",
              `git was not found (tried ${JSON.stringify(invocation.gitBinary)}). Install git ${MINIMUM_GIT_VERSION.join(".")} or newer, or pass options.gitBinary.`,
              { cause: error },
            ),
          );
          return;
        }
        reject(gitFailure(args[0] ?? "", stderrText || error.message, invocation, error));
      },
    );
    if (invocation.input !== undefined) child.stdin?.end(invocation.input);
    else child.stdin?.end();
  });
}

/**
 * A failed git command. A full disk or a permission problem is a file-system failure, not a
 * git one: it becomes `NG_ERR_BACKUP_IO` naming the repository (and work tree) with the remedy,
 * like every other file-system failure of a backup.
 */
function gitFailure(
  command: string,
  detail: string,
  invocation: GitInvocation,
  cause: unknown,
): NextGenError<BackupErrorCode> {
  const where =
    invocation.workTree === undefined ? invocation.gitDir : `${invocation.gitDir} or ${invocation.workTree}`;
  if (/No space left on device|Disk quota exceeded/i.test(detail)) {
    return new BackupError(
      "NG_ERR_BACKUP_IO",
      "no-space",
      `git ${command} failed: the file system is full (${detail}). Free space on the file system holding ${where}, then retry.`,
      { path: invocation.gitDir, cause },
    );
  }
  if (/Permission denied|Read-only file system/i.test(detail)) {
    return new BackupError(
      "NG_ERR_BACKUP_IO",
      "permission-denied",
      `git ${command} failed: permission denied (${detail}). Give the user running the backup read and write access to ${where}.`,
      { path: invocation.gitDir, cause },
    );
  }
  return new NextGenError<BackupErrorCode>("NG_ERR_BACKUP_GIT", `git ${command} failed: ${detail}`, { cause });
}

/** Parses `git version 2.39.5` (and vendor suffixes such as `.windows.1`) into numbers. */
export function parseGitVersion(output: string): [number, number, number] | undefined {
  const match = /git version (\d+)\.(\d+)(?:\.(\d+))?/.exec(output);
  if (match === null) return undefined;
  return [Number(match[1]), Number(match[2]), Number(match[3] ?? 0)];
}

/**
 * Checks that `git` exists and is at least {@link MINIMUM_GIT_VERSION}; returns its version.
 * Throws `NG_ERR_BACKUP_GIT` naming the version found and the one needed.
 */
export async function checkGitVersion(gitBinary: string): Promise<string> {
  const { stdout } = await runGit(["version"], { gitBinary, gitDir: devNull });
  const text = stdout.toString("utf8").trim();
  const version = parseGitVersion(text);
  const [major, minor] = MINIMUM_GIT_VERSION;
  if (version === undefined || version[0] < major || (version[0] === major && version[1] < minor)) {
    throw new NextGenError<BackupErrorCode>(
      "NG_ERR_BACKUP_GIT",
      `git ${major}.${minor} or newer is required; ${JSON.stringify(gitBinary)} reports ${JSON.stringify(text)}.`,
    );
  }
  return version.join(".");
}

/** Refuses a revision that git could read as an option or that is not a plain revision. */
export function assertRevision(revision: string, option: string): string {
  if (!/^[A-Za-z0-9][A-Za-z0-9._/~^@{}-]*$/.test(revision) || revision.includes("..")) {
    throw new NextGenError<BackupErrorCode>(
      "NG_ERR_BACKUP_NOT_FOUND",
      `${option} ${JSON.stringify(revision)} is not a valid revision.`,
    );
  }
  return revision;
}
