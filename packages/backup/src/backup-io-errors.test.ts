import { execFile, execFileSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { chmod, mkdir, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { buildChild } from "./__fixtures__/build-child.js";
import { diskState, refusal } from "./__fixtures__/refusal.js";
import { createWorkspace, type TestWorkspace, writeFiles } from "./__fixtures__/workspace.js";
import { createBackupManager } from "./backup-manager.js";

// Issue 12.5: a full disk and an unreadable directory give NG_ERR_BACKUP_IO naming the path
// and the remedy, never a raw ENOSPC/EACCES, and leave nothing half written.

let workspace: TestWorkspace;
let mounts: string[] = [];
beforeEach(async () => {
  workspace = await createWorkspace();
  // Incompressible, larger than the 1 MiB file systems below.
  await writeFiles(workspace.source, { "big/blob.bin": randomBytes(1_500_000) });
});
afterEach(async () => {
  for (const mount of mounts) execFileSync("umount", [mount]);
  mounts = [];
  await workspace.dispose();
});

/** Mounts a 1 MiB tmpfs at `dir`; false when this machine does not let us (not root, no mount). */
function mountSmallTmpfs(dir: string): boolean {
  try {
    execFileSync("mount", ["-t", "tmpfs", "-o", "size=1m", "tmpfs", dir], { stdio: "ignore" });
    mounts.push(dir);
    return true;
  } catch {
    return false;
  }
}

const NO_MOUNT =
  "mount -t tmpfs is not permitted here (it needs root or CAP_SYS_ADMIN): no full file system to test on";

describe("a full file system (1 MiB tmpfs)", () => {
  it("archive: NG_ERR_BACKUP_IO no-space naming the archive, and no partial file left", async (context) => {
    await mkdir(workspace.archives);
    if (!mountSmallTmpfs(workspace.archives)) return context.skip(NO_MOUNT);
    const error = await refusal(createBackupManager(workspace).archive({ tier: "production" }));
    expect([error.code, error.reason]).toEqual(["NG_ERR_BACKUP_IO", "no-space"]);
    expect(error.path).toMatch(new RegExp(`^${workspace.archives}/.*\\.tar\\.gz$`));
    expect(error.message).toMatch(/ENOSPC.*free space on the file system holding/);
    expect(await readdir(workspace.archives)).toEqual([]);
  });

  it("restore: NG_ERR_BACKUP_IO no-space, the target untouched and no staging tree left", async (context) => {
    const manifest = await createBackupManager(workspace).archive({ tier: "production" });
    const volume = join(workspace.root, "volume");
    await mkdir(volume);
    if (!mountSmallTmpfs(volume)) return context.skip(NO_MOUNT);
    const target = join(volume, "target");
    await writeFiles(target, { "old.json": "{}\n" });
    const before = await diskState(volume);
    const error = await refusal(createBackupManager(workspace).restore(manifest.id, { target }));
    expect([error.code, error.reason]).toEqual(["NG_ERR_BACKUP_IO", "no-space"]);
    expect(error.message).toContain(volume);
    expect(await diskState(volume)).toEqual(before);
    expect(await readdir(volume)).toEqual(["target"]);
    await expect(readFile(join(workspace.repository, "nextgen-restore-journal.json"))).rejects.toThrow();
  });

  it("snapshot: git's ENOSPC becomes NG_ERR_BACKUP_IO naming the repository", async (context) => {
    await mkdir(workspace.repository);
    if (!mountSmallTmpfs(workspace.repository)) return context.skip(NO_MOUNT);
    const error = await refusal(createBackupManager(workspace).snapshot({ message: "nightly" }));
    expect([error.code, error.reason]).toEqual(["NG_ERR_BACKUP_IO", "no-space"]);
    expect(error.path).toBe(workspace.repository);
    expect(error.message).toMatch(/Free space on the file system holding/);
  });
});

describe("an unreadable or unwritable directory", () => {
  let childScript: string;
  let childRoot: string;
  beforeAll(async () => {
    childRoot = (await createWorkspace()).root;
    childScript = await buildChild(childRoot, "operation-child");
  }, 60_000);
  afterAll(() => rm(childRoot, { recursive: true, force: true }));

  /** Whether mode bits bind here: as root they do only with CAP_DAC_OVERRIDE/READ_SEARCH dropped (setpriv). */
  const isRoot = process.getuid?.() === 0;
  const hasSetpriv = (() => {
    try {
      execFileSync("setpriv", ["--version"], { stdio: "ignore" });
      return true;
    } catch {
      return false;
    }
  })();

  interface ChildOutcome {
    ok: boolean;
    coded: boolean;
    code?: string;
    reason?: string;
    path?: string;
    message?: string;
  }

  /** Runs one operation in a child that root's capabilities cannot let past mode bits. */
  function runChild(request: Record<string, unknown>): Promise<ChildOutcome> {
    const payload = JSON.stringify({ ...workspace, ...request });
    const [command, args] = isRoot
      ? ["setpriv", ["--bounding-set=-dac_override,-dac_read_search", "--", process.execPath, childScript, payload]]
      : [process.execPath, [childScript, payload]];
    return new Promise((resolve, reject) => {
      execFile(command as string, args as string[], { timeout: 30_000 }, (error, stdout) => {
        if (error) reject(error);
        else resolve(JSON.parse(stdout) as ChildOutcome);
      });
    });
  }

  const NO_SETPRIV = "running as root without setpriv: root ignores mode bits, so no directory is unreadable";

  it("archive of a source with an unreadable directory: NG_ERR_BACKUP_IO permission-denied naming it", async (context) => {
    if (isRoot && !hasSetpriv) return context.skip(NO_SETPRIV);
    await createBackupManager(workspace).snapshot({ message: "before" });
    await mkdir(join(workspace.source, "private"));
    await writeFile(join(workspace.source, "private", "a.json"), "{}");
    await chmod(join(workspace.source, "private"), 0o000);
    try {
      const outcome = await runChild({ operation: "archive" });
      expect(outcome).toMatchObject({
        ok: false,
        coded: true,
        code: "NG_ERR_BACKUP_IO",
        reason: "permission-denied",
        path: join(workspace.source, "private"),
      });
      expect(outcome.message).toMatch(/EACCES.*read and write access to/);
      expect(await readdir(workspace.archives).catch(() => [])).toEqual([]);
    } finally {
      await chmod(join(workspace.source, "private"), 0o755);
    }
  });

  it("verify and list with an unreadable archives directory: permission-denied, not 'no such backup' or 'none'", async (context) => {
    if (isRoot && !hasSetpriv) return context.skip(NO_SETPRIV);
    const manifest = await createBackupManager(workspace).archive({ tier: "production" });
    await chmod(workspace.archives, 0o000);
    try {
      const outcome = await runChild({ operation: "verify", id: manifest.id });
      expect(outcome).toMatchObject({ ok: false, code: "NG_ERR_BACKUP_IO", reason: "permission-denied" });
      expect(outcome.path).toContain(workspace.archives);
      const listed = await runChild({ operation: "list" });
      expect(listed).toMatchObject({ ok: false, code: "NG_ERR_BACKUP_IO", path: workspace.archives });
    } finally {
      await chmod(workspace.archives, 0o755);
    }
  });

  it("restore next to a read-only parent: permission-denied naming it, the target untouched", async (context) => {
    if (isRoot && !hasSetpriv) return context.skip(NO_SETPRIV);
    const manifest = await createBackupManager(workspace).archive({ tier: "production" });
    const parent = join(workspace.root, "locked");
    const target = join(parent, "target");
    await writeFiles(target, { "old.json": "{}\n" });
    const before = await diskState(parent);
    await chmod(parent, 0o555);
    try {
      const outcome = await runChild({ operation: "restore", id: manifest.id, target });
      expect(outcome).toMatchObject({ ok: false, code: "NG_ERR_BACKUP_IO", reason: "permission-denied" });
      expect(outcome.path).toContain(parent);
    } finally {
      await chmod(parent, 0o755);
    }
    expect(await diskState(parent)).toEqual(before);
    expect(await readdir(parent)).toEqual(["target"]);
  });
});
