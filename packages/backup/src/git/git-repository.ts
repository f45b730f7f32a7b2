import { access, mkdir, readdir } from "node:fs/promises";
import { join } from "node:path";
import { NextGenError } from "@nextgen/core";
import type { BackupErrorCode } from "../errors/backup-error-codes.js";
import { withIo } from "../errors/io-error.js";
import { assertRevision, type GitInvocation, runGit } from "./git-command.js";

/** Where and with what a repository is used. */
export interface GitRepositoryContext {
  readonly gitBinary: string;
  /** The dedicated (bare) repository directory. */
  readonly gitDir: string;
}

/** Branch every snapshot is committed to. */
export const SNAPSHOT_REF = "refs/heads/main";

/** Identity of every snapshot commit: fixed so that commits depend only on content and time. */
export const SNAPSHOT_IDENTITY: { readonly name: string; readonly email: string } = {
  name: "nextgen-backup",
  email: "backup@nextgen.invalid",
};

function invocation(context: GitRepositoryContext, extra: Partial<GitInvocation> = {}): GitInvocation {
  return { gitBinary: context.gitBinary, gitDir: context.gitDir, ...extra };
}

/** Creates the bare repository (branch `main`) unless it exists. Refuses a non-empty non-repository. */
export async function ensureRepository(context: GitRepositoryContext): Promise<void> {
  try {
    await access(join(context.gitDir, "HEAD"));
    return;
  } catch {
    // Not a repository yet.
  }
  const existing = await withIo(context.gitDir, "create the backup repository", async () => {
    await mkdir(context.gitDir, { recursive: true });
    return (await readdir(context.gitDir)).filter((name) => !name.startsWith("nextgen"));
  });
  if (existing.length > 0) {
    throw new NextGenError<BackupErrorCode>(
      "NG_ERR_BACKUP_GIT",
      `${context.gitDir} is not empty and not a git repository; refusing to initialise it.`,
    );
  }
  await runGit(["init", "--quiet", "--bare"], invocation(context));
  await runGit(["symbolic-ref", "HEAD", SNAPSHOT_REF], invocation(context));
}

/** The commit `revision` names, or `undefined` when it names none. */
export async function resolveCommit(context: GitRepositoryContext, revision: string): Promise<string | undefined> {
  assertRevision(revision, "revision");
  try {
    const { stdout } = await runGit(
      ["rev-parse", "--verify", "--quiet", "--end-of-options", `${revision}^{commit}`],
      invocation(context),
    );
    return stdout.toString("utf8").trim();
  } catch {
    return undefined;
  }
}

/** Which ref a commit of a work tree goes to, and the private index file staging it. */
export interface CommitBranch {
  readonly ref: string;
  /** File name of the index inside the repository; only holders of the repository lock use it. */
  readonly indexName: string;
}

/** Snapshots of the source. */
export const MAIN_BRANCH: CommitBranch = { ref: SNAPSHOT_REF, indexName: "nextgen-index" };

/**
 * Pre-restore snapshots of a restore target other than the source: kept off the main
 * history (whose paths are the source's) but reachable, so `restore <commit>` brings the
 * replaced tree back and `git gc` never prunes it.
 */
export const PRE_RESTORE_BRANCH: CommitBranch = {
  ref: "refs/nextgen/pre-restore",
  indexName: "nextgen-index-pre-restore",
};

/** Result of committing the work tree. */
export interface CommitTreeResult {
  /** The new commit, or the current head when nothing changed (undefined for an empty, unborn repository). */
  readonly commit: string | undefined;
  /** Whether a commit was made. */
  readonly changed: boolean;
  /** Number of files in the committed tree. */
  readonly files: number;
}

/**
 * Commits every file of `workTree` to `branch` ({@link SNAPSHOT_REF} by default) when its
 * tree differs from the branch head's. Uses a private index file and plumbing (`write-tree`, `commit-tree`,
 * `update-ref` with the expected old value), so no hook, no ignore file of the tree and
 * no user config takes part.
 */
export async function commitWorkTree(
  context: GitRepositoryContext,
  workTree: string,
  message: string,
  timestampMs: number,
  branch: CommitBranch = MAIN_BRANCH,
): Promise<CommitTreeResult> {
  const ref = branch.ref;
  const env = { GIT_INDEX_FILE: join(context.gitDir, branch.indexName) };
  const withTree = invocation(context, { workTree, env });
  await runGit(["add", "--all", "--force", "--", "."], withTree);
  const tree = (await runGit(["write-tree"], withTree)).stdout.toString("utf8").trim();
  const files = (await runGit(["ls-files", "-z"], withTree)).stdout.toString("utf8").split("\0").filter(Boolean).length;
  const parent = await resolveCommit(context, ref);
  const parentTree =
    parent === undefined
      ? undefined
      : (await runGit(["rev-parse", `${parent}^{tree}`], invocation(context))).stdout.toString("utf8").trim();
  if (tree === parentTree || (parent === undefined && files === 0)) return { commit: parent, changed: false, files };
  const date = `@${Math.floor(timestampMs / 1000)} +0000`;
  const identity = {
    GIT_AUTHOR_NAME: SNAPSHOT_IDENTITY.name,
    GIT_AUTHOR_EMAIL: SNAPSHOT_IDENTITY.email,
    GIT_AUTHOR_DATE: date,
    GIT_COMMITTER_NAME: SNAPSHOT_IDENTITY.name,
    GIT_COMMITTER_EMAIL: SNAPSHOT_IDENTITY.email,
    GIT_COMMITTER_DATE: date,
  };
  const parentArgs = parent === undefined ? [] : ["-p", parent];
  const commit = (
    await runGit(
      ["commit-tree", tree, ...parentArgs, "-F", "-"],
      invocation(context, { env: identity, input: message }),
    )
  ).stdout
    .toString("utf8")
    .trim();
  await runGit(["update-ref", ref, commit, ...(parent === undefined ? [] : [parent])], invocation(context));
  // Plumbing never triggers git's housekeeping: pack loose objects here as `git commit` would,
  // but in the foreground (under our lock) rather than in a detached process.
  await runGit(["-c", "gc.autoDetach=false", "gc", "--auto", "--quiet"], invocation(context));
  return { commit, changed: true, files };
}

/** One commit of the log. */
export interface LogEntry {
  readonly commit: string;
  readonly timestampMs: number;
  readonly message: string;
}

/** Commits on the snapshot branch touching any of `paths`, newest first. */
export async function logPaths(context: GitRepositoryContext, paths: readonly string[]): Promise<LogEntry[]> {
  if ((await resolveCommit(context, SNAPSHOT_REF)) === undefined) return [];
  const { stdout } = await runGit(
    ["log", "-z", "--format=%H%x1f%ct%x1f%B", SNAPSHOT_REF, "--", ...paths],
    invocation(context),
  );
  return stdout
    .toString("utf8")
    .split("\0")
    .filter((record) => record.length > 0)
    .map((record) => {
      const [commit = "", seconds = "0", message = ""] = record.split("\x1f");
      return { commit: commit.trim(), timestampMs: Number(seconds) * 1000, message: message.trim() };
    });
}

/** Contents of each `revision:path` spec, `undefined` where the object is missing. One git process. */
export async function readObjects(
  context: GitRepositoryContext,
  specs: readonly string[],
): Promise<(Buffer | undefined)[]> {
  if (specs.length === 0) return [];
  const { stdout } = await runGit(["cat-file", "--batch"], invocation(context, { input: `${specs.join("\n")}\n` }));
  const results: (Buffer | undefined)[] = [];
  let offset = 0;
  for (let index = 0; index < specs.length; index++) {
    const lineEnd = stdout.indexOf(0x0a, offset);
    const header = stdout.subarray(offset, lineEnd).toString("utf8");
    offset = lineEnd + 1;
    if (header.endsWith(" missing") || header.endsWith(" ambiguous")) {
      results.push(undefined);
      continue;
    }
    const size = Number(header.split(" ")[2]);
    const type = header.split(" ")[1];
    const content = stdout.subarray(offset, offset + size);
    offset += size + 1;
    results.push(type === "blob" ? Buffer.from(content) : undefined);
  }
  return results;
}

/** One file of a committed tree. */
export interface TreeEntry {
  readonly path: string;
  readonly object: string;
}

/**
 * Every regular file of `commit`'s tree. Symbolic links (mode 120000) and submodules are
 * left out, as archives leave them out: a restore never creates a link.
 */
export async function listTree(context: GitRepositoryContext, commit: string): Promise<TreeEntry[]> {
  const { stdout } = await runGit(["ls-tree", "-r", "-z", "--full-tree", commit], invocation(context));
  const entries: TreeEntry[] = [];
  for (const line of stdout.toString("utf8").split("\0")) {
    const tab = line.indexOf("\t");
    const [mode, type, object = ""] = line.slice(0, tab).split(" ");
    if (type === "blob" && (mode === "100644" || mode === "100755"))
      entries.push({ path: line.slice(tab + 1), object });
  }
  return entries;
}

/**
 * Status of one path between two commits.
 *
 * @example
 * ```ts
 * const deleted = (await backups.diff(from, to)).changes.filter((change) => change.status === ("deleted" satisfies ChangeStatus));
 * ```
 */
export type ChangeStatus = "added" | "modified" | "deleted";

/** Paths changed between two commits, and the unified patch. */
export async function diffCommits(
  context: GitRepositoryContext,
  from: string,
  to: string,
): Promise<{ changes: { status: ChangeStatus; path: string }[]; patch: string }> {
  const nameStatus = await runGit(["diff", "--no-renames", "--name-status", "-z", from, to, "--"], invocation(context));
  const tokens = nameStatus.stdout.toString("utf8").split("\0").filter(Boolean);
  const changes: { status: ChangeStatus; path: string }[] = [];
  for (let index = 0; index + 1 < tokens.length; index += 2) {
    const letter = tokens[index];
    const status: ChangeStatus = letter === "A" ? "added" : letter === "D" ? "deleted" : "modified";
    changes.push({ status, path: tokens[index + 1] ?? "" });
  }
  const patch = await runGit(
    ["diff", "--no-renames", "--no-color", "--no-ext-diff", from, to, "--"],
    invocation(context),
  );
  return { changes, patch: patch.stdout.toString("utf8") };
}

/** Runs `git fsck --strict`; throws `NG_ERR_BACKUP_CHECKSUM` with git's report when it fails. */
export async function fsckRepository(context: GitRepositoryContext): Promise<void> {
  try {
    await runGit(["fsck", "--strict", "--no-progress", "--no-dangling"], invocation(context));
  } catch (error) {
    throw new NextGenError<BackupErrorCode>(
      "NG_ERR_BACKUP_CHECKSUM",
      `git fsck --strict failed for ${context.gitDir}: ${(error as Error).message}`,
      { cause: error },
    );
  }
}
