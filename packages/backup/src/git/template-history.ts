import { NextGenError } from "@nextgen/core";
import { describeTemplate } from "../archive/template-info.js";
import type { BackupErrorCode } from "../errors/backup-error-codes.js";
import type { TemplateHistoryEntry } from "../types.js";
import { type GitRepositoryContext, logPaths, readObjects } from "./git-repository.js";

const TEMPLATE_ID = /^[a-z0-9][a-z0-9-]*(\/[a-z0-9][a-z0-9-]*)+$/;

/** Refuses anything but a `namespace/name` template id (so it can never name a path outside the tree). */
export function assertTemplateId(templateId: string): void {
  if (typeof templateId !== "string" || !TEMPLATE_ID.test(templateId)) {
    throw new NextGenError<BackupErrorCode>(
      "NG_ERR_BACKUP_NOT_FOUND",
      `${JSON.stringify(templateId)} is not a template id (namespace/name).`,
    );
  }
}

/** The file paths a template id can have below a directory source. */
export function templatePathsOf(templateId: string): [string, string] {
  return [`${templateId}.json`, `${templateId}.json.zst`];
}

/**
 * Every snapshot that touched `templateId`'s file, newest first, with the version and
 * digest of the file at that commit when it parses. Two git processes however long the
 * history: one `log`, one `cat-file --batch`.
 */
export async function templateHistory(
  context: GitRepositoryContext,
  templateId: string,
): Promise<TemplateHistoryEntry[]> {
  const paths = templatePathsOf(templateId);
  const commits = await logPaths(context, paths);
  const blobs = await readObjects(
    context,
    commits.flatMap((entry) => paths.map((path) => `${entry.commit}:${path}`)),
  );
  const history: TemplateHistoryEntry[] = [];
  for (const [index, entry] of commits.entries()) {
    const base = { commit: entry.commit, date: new Date(entry.timestampMs).toISOString(), message: entry.message };
    const found = paths
      .map((path, offset) => ({ path, data: blobs[index * paths.length + offset] }))
      .find((item) => item.data !== undefined);
    if (found?.data === undefined) {
      history.push(base);
      continue;
    }
    const template = describeTemplate(found.path, found.data);
    history.push({
      ...base,
      path: found.path,
      ...(template === undefined ? {} : { version: template.version, digest: template.digest }),
    });
  }
  return history;
}
