import { execFileSync } from "node:child_process";
import { mkdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createWorkspace, fakeClock, type TestWorkspace, writeFiles } from "../__fixtures__/workspace.js";
import { createBackupManager } from "../backup-manager.js";
import { readTreeFiles } from "./tree-files.js";

let workspace: TestWorkspace;
const clock = fakeClock();
beforeEach(async () => {
  workspace = await createWorkspace();
});
afterEach(() => workspace.dispose());

describe("restore --target <dir> other than the source (issue 12.1)", () => {
  it("snapshots the target it replaces, so files in no backup come back, and says so truthfully", async () => {
    const backups = createBackupManager({ ...workspace, clock });
    const manifest = await backups.archive({ tier: "production" });
    const mainBefore = execFileSync("git", ["--git-dir", workspace.repository, "rev-parse", "refs/heads/main"], {
      encoding: "utf8",
    });
    const target = join(workspace.root, "elsewhere");
    await writeFiles(target, { "local-only.txt": "in no backup\n", "security/auditor.json": "hand edited\n" });
    const replaced = await readTreeFiles(target);

    const dryRun = await backups.restore(manifest.id, { target, dryRun: true });
    expect(dryRun).toMatchObject({ removed: ["local-only.txt"], changed: ["security/auditor.json"] });
    expect(dryRun.preRestoreCommit).toBeUndefined();

    const result = await backups.restore(manifest.id, { target });
    expect(result.preRestoreCommit).toMatch(/^[0-9a-f]{40}$/);
    // The snapshot is of the target, not of the source: restoring it gives the replaced tree back.
    const back = join(workspace.root, "back");
    await backups.restore(result.preRestoreCommit as string, { target: back });
    expect(await readTreeFiles(back)).toEqual(replaced);
    expect(await readFile(join(back, "local-only.txt"), "utf8")).toBe("in no backup\n");
    // Kept off the source's history.
    expect(
      execFileSync("git", ["--git-dir", workspace.repository, "rev-parse", "refs/heads/main"], { encoding: "utf8" }),
    ).toBe(mainBefore);
    expect(
      execFileSync("git", ["--git-dir", workspace.repository, "rev-parse", "refs/nextgen/pre-restore"], {
        encoding: "utf8",
      }).trim(),
    ).toBe(result.preRestoreCommit);
  });

  it("takes no snapshot of an empty or missing target", async () => {
    const backups = createBackupManager({ ...workspace, clock });
    const manifest = await backups.archive({ tier: "production" });
    const empty = join(workspace.root, "empty");
    await mkdir(empty);
    expect((await backups.restore(manifest.id, { target: empty })).preRestoreCommit).toBeUndefined();
    expect(
      (await backups.restore(manifest.id, { target: join(workspace.root, "new") })).preRestoreCommit,
    ).toBeUndefined();
  });
});
