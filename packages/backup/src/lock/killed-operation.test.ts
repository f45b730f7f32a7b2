import { type ChildProcess, execFileSync, spawn } from "node:child_process";
import { access, mkdir, readdir, rm, writeFile } from "node:fs/promises";
import { hostname } from "node:os";
import { join } from "node:path";
import { until } from "@nextgen/test-support";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildChild } from "../__fixtures__/build-child.js";
import { createWorkspace, type TestWorkspace, writeFiles } from "../__fixtures__/workspace.js";
import { createBackupManager } from "../backup-manager.js";

let workspace: TestWorkspace;
let childScript: string;
beforeAll(async () => {
  workspace = await createWorkspace();
  childScript = await buildChild(workspace.root, "operation-child");
}, 60_000);
afterAll(() => workspace.dispose());

const exists = (path: string): Promise<boolean> =>
  access(path).then(
    () => true,
    () => false,
  );

async function waitFor(path: string, child: ChildProcess, deadlineMs: number): Promise<void> {
  // A child that exits ends the wait at once (it will never write the marker).
  const seen = await until(async () => (child.exitCode !== null ? "exited" : await exists(path)), {
    what: `${path} to appear`,
    timeoutMs: deadlineMs,
    intervalMs: 20,
  });
  if (seen === "exited") throw new Error(`the child exited (${child.exitCode}) before ${path} appeared`);
}

describe("a restore killed with its whole process group (issue 12.2)", () => {
  it("leaves git's nextgen-index.lock, which the next operation removes: snapshot, archive, restore work again", async () => {
    const backups = createBackupManager(workspace);
    const manifest = await backups.archive({ tier: "production" });
    // A clean filter that blocks inside `git add` (which holds nextgen-index.lock) until killed:
    // the pre-restore snapshot of the restore below stops exactly there.
    const marker = join(workspace.root, "git-add-started");
    const git = (...args: string[]): string =>
      execFileSync("git", ["--git-dir", workspace.repository, ...args], { encoding: "utf8" });
    git("config", "filter.hang.clean", `echo started > ${marker}; sleep 120; cat`);
    await writeFiles(workspace.source, { ".gitattributes": "* filter=hang\n", "new/file.json": "{}\n" });

    const child = spawn(
      process.execPath,
      [childScript, JSON.stringify({ ...workspace, operation: "restore", id: manifest.id })],
      { detached: true, stdio: "ignore" },
    );
    const exited = new Promise((resolve) => child.on("exit", resolve));
    try {
      await waitFor(marker, child, 30_000);
    } finally {
      // systemd KillMode=control-group, `timeout -s KILL`, a container stop: the whole group at once.
      process.kill(-(child.pid as number), "SIGKILL");
      await exited;
    }
    const indexLock = join(workspace.repository, "nextgen-index.lock");
    expect(await exists(indexLock)).toBe(true);
    expect(await exists(join(workspace.repository, "nextgen.lock"))).toBe(true);
    git("config", "--unset", "filter.hang.clean");

    const next = createBackupManager(workspace);
    // The dead restore's lock is taken over, the index lock removed, the staging tree dropped.
    expect((await next.snapshot({ message: "after the kill" })).changed).toBe(true);
    expect(await exists(indexLock)).toBe(false);
    expect((await readdir(workspace.root)).filter((name) => name.includes(".nextgen-"))).toEqual([]);
    await next.archive({ tier: "temporary" });
    expect((await next.verify(manifest.id)).files).toBe(manifest.files.length);
    await next.restore(manifest.id);
    expect(await exists(join(workspace.source, "new/file.json"))).toBe(false);
  }, 60_000);
});

describe("temporary files a killed write leaves (issue 12.6)", () => {
  it("are removed by recover (and by every locked operation); the operator's files are not", async () => {
    const backups = createBackupManager(workspace);
    await backups.recover();
    const planted = {
      archives: [".20260101T000000000Z-production-00000000.tar.gz.0123456789ab.partial", "notes.partial"],
      repository: [".nextgen-restore-journal.json.abcdefabcdef.partial", "nextgen.lock.stale-0123456789ab"],
    };
    for (const name of planted.archives) await writeFile(join(workspace.archives, name), "x");
    for (const name of planted.repository) await writeFile(join(workspace.repository, name), "x");
    await backups.recover();
    expect((await readdir(workspace.archives)).filter((name) => name.endsWith(".partial"))).toEqual(["notes.partial"]);
    const repository = await readdir(workspace.repository);
    for (const name of planted.repository) expect(repository).not.toContain(name);
    await rm(join(workspace.archives, "notes.partial"));
  });

  it("include git's temporary objects, removed once the lock of a dead process is taken over", async () => {
    const backups = createBackupManager(workspace);
    await backups.recover();
    const loose = join(workspace.repository, "objects", "ab");
    await mkdir(loose, { recursive: true });
    await writeFile(join(loose, "tmp_obj_Xy12ab"), "half an object");
    await writeFile(join(workspace.repository, "objects", "pack", "tmp_pack_Qw34cd"), "half a pack");
    // A live holder's temporaries are not ours to remove: nothing happens without a takeover.
    await backups.recover();
    const temporaries = async (): Promise<string[]> => (await readdir(loose)).filter((name) => name.startsWith("tmp_"));
    expect(await temporaries()).toEqual(["tmp_obj_Xy12ab"]);
    await writeFile(
      join(workspace.repository, "nextgen.lock"),
      JSON.stringify({ pid: 2 ** 22 + 4242, hostname: hostname(), created: "x", operation: "snapshot" }),
    );
    await backups.recover();
    expect(await temporaries()).toEqual([]);
    expect(
      (await readdir(join(workspace.repository, "objects", "pack"))).filter((name) => name.startsWith("tmp_")),
    ).toEqual([]);
  });
});
