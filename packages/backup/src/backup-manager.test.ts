import { execFileSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { chmod, mkdir, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { hostname } from "node:os";
import { join } from "node:path";
import { NextGenError } from "@nextgen/core";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createWorkspace, fakeClock, type TestWorkspace, templateText, writeFiles } from "./__fixtures__/workspace.js";
import { createBackupManager } from "./backup-manager.js";
import { readTreeFiles } from "./restore/tree-files.js";

let workspace: TestWorkspace;
let clock: ReturnType<typeof fakeClock>;
beforeEach(async () => {
  workspace = await createWorkspace();
  clock = fakeClock();
});
afterEach(() => workspace.dispose());

function manager() {
  return createBackupManager({ ...workspace, clock });
}

async function expectCode(promise: Promise<unknown>, code: string): Promise<NextGenError> {
  try {
    await promise;
  } catch (error) {
    expect(NextGenError.is(error)).toBe(true);
    expect((error as NextGenError).code, (error as Error).message).toBe(code);
    return error as NextGenError;
  }
  throw new Error(`expected ${code}`);
}

async function treeOf(root: string): Promise<Record<string, string>> {
  return Object.fromEntries(
    (await readTreeFiles(root)).map((file) => [file.path, Buffer.from(file.data).toString("base64")]),
  );
}

describe("snapshot, history and diff", () => {
  it("commits only changes, with a deterministic author, and the repository passes git fsck --strict", async () => {
    const backups = manager();
    const first = await backups.snapshot({ message: "first" });
    expect(first).toMatchObject({ changed: true, files: 4 });
    clock.advance(60_000);
    expect(await backups.snapshot({ message: "nothing changed" })).toEqual({ ...first, changed: false });
    await writeFiles(workspace.source, { "security/auditor.json": templateText("security/auditor", "1.1.0") });
    const second = await backups.snapshot({ message: "bump auditor" });
    expect(second.changed).toBe(true);
    const log = execFileSync("git", ["--git-dir", workspace.repository, "log", "--format=%an <%ae> %at %s"], {
      encoding: "utf8",
    });
    expect(log.trim().split("\n")).toEqual([
      `nextgen-backup <backup@nextgen.invalid> ${clock.now() / 1000} bump auditor`,
      `nextgen-backup <backup@nextgen.invalid> ${(clock.now() - 60_000) / 1000} first`,
    ]);
    execFileSync("git", ["--git-dir", workspace.repository, "fsck", "--strict"]);

    const history = await backups.history("security/auditor");
    expect(history.map((entry) => [entry.commit, entry.message, entry.path, entry.version])).toEqual([
      [second.commit, "bump auditor", "security/auditor.json", "1.1.0"],
      [first.commit, "first", "security/auditor.json", "1.0.0"],
    ]);
    const diff = await backups.diff(first.commit as string, second.commit as string);
    expect(diff.changes).toEqual([
      { status: "modified", path: "security/auditor.json", templateId: "security/auditor" },
    ]);
    expect(diff.patch).toContain('+  "version": "1.1.0"');
  });

  it("rolls one template back through the atomic restore path and records it", async () => {
    const backups = manager();
    const first = await backups.snapshot({ message: "v1" });
    const original = await readFile(join(workspace.source, "security/auditor.json"));
    await writeFiles(workspace.source, {
      "security/auditor.json": templateText("security/auditor", "9.9.9"),
      "ops/deployer.json": templateText("ops/deployer", "0.4.0"),
    });
    await backups.snapshot({ message: "bad deploy" });
    const byVersion = await backups.rollback("security/auditor", "1.0.0", { dryRun: true });
    expect(byVersion).toMatchObject({ dryRun: true, version: "1.0.0", changed: ["security/auditor.json"] });
    const result = await backups.rollback("security/auditor", (first.commit as string).slice(0, 10));
    expect(result.changed).toEqual(["security/auditor.json"]);
    expect(result.preRestoreCommit).toBeDefined();
    expect(await readFile(join(workspace.source, "security/auditor.json"))).toEqual(original);
    // Only that template moved back.
    expect(await readFile(join(workspace.source, "ops/deployer.json"), "utf8")).toContain("0.4.0");
    expect((await backups.history("security/auditor"))[0]?.message).toMatch(/^Roll back security\/auditor/);
    await expectCode(backups.rollback("security/auditor", "deadbeefdead"), "NG_ERR_BACKUP_NOT_FOUND");
    await expectCode(backups.history("../etc"), "NG_ERR_BACKUP_NOT_FOUND");
  });
});

describe("archive and verify", () => {
  it("writes an archive the system tar extracts, with checksums sha256sum agrees with", async () => {
    const backups = manager();
    const manifest = await backups.archive({ tier: "production" });
    expect(manifest).toMatchObject({ tier: "production", retention: { maxAgeDays: 90 }, formatVersion: 1 });
    expect(manifest.files.map((file) => file.path)).toEqual([
      "README.txt",
      "base/specialist.json",
      "ops/deployer.json",
      "security/auditor.json",
    ]);
    expect(manifest.templates.map((template) => [template.id, template.version, template.path])).toEqual([
      ["base/specialist", "2.1.0", "base/specialist.json"],
      ["ops/deployer", "0.3.0", "ops/deployer.json"],
      ["security/auditor", "1.0.0", "security/auditor.json"],
    ]);
    expect(manifest.templates[0]?.digest).toMatch(/^sha256:[0-9a-f]{64}$/);
    const archivePath = join(workspace.archives, manifest.archive.file);
    expect(execFileSync("sha256sum", [archivePath], { encoding: "utf8" }).split(" ")[0]).toBe(manifest.archive.sha256);
    const extracted = join(workspace.root, "extracted");
    await mkdir(extracted);
    execFileSync("tar", ["-xzf", archivePath, "-C", extracted]);
    const sums = execFileSync(
      "sha256sum",
      manifest.files.map((file) => file.path),
      { cwd: extracted, encoding: "utf8" },
    );
    expect(sums.trim().split("\n")).toEqual(manifest.files.map((file) => `${file.sha256}  ${file.path}`));
    expect(await backups.verify(manifest.id)).toEqual({
      id: manifest.id,
      files: 4,
      decrypted: false,
      repositoryChecked: true,
      signedBy: [],
    });
  });

  it("is reproducible: archiving the same tree twice gives the same bytes", async () => {
    const backups = manager();
    const first = await backups.archive({ tier: "development" });
    clock.advance(1000);
    const second = await backups.archive({ tier: "development" });
    expect(second.id).not.toBe(first.id);
    expect(second.archive.sha256).toBe(first.archive.sha256);
  });

  it("fails verify with NG_ERR_BACKUP_CHECKSUM when one byte of the archive changes", async () => {
    const backups = manager();
    const manifest = await backups.archive({ tier: "critical" });
    const path = join(workspace.archives, manifest.archive.file);
    const original = await readFile(path);
    // Anywhere: the gzip header, the compressed body, the trailer's CRC and length.
    for (const position of [0, 4, Math.floor(original.length / 2), original.length - 5, original.length - 1]) {
      const bytes = Buffer.from(original);
      bytes[position] = (bytes[position] ?? 0) ^ 0x01;
      await writeFile(path, bytes);
      await expectCode(backups.verify(manifest.id), "NG_ERR_BACKUP_CHECKSUM");
    }
    await expectCode(backups.restore(manifest.id, { target: join(workspace.root, "out") }), "NG_ERR_BACKUP_CHECKSUM");
    await expectCode(backups.verify("20260101T000000000Z-critical-00000000"), "NG_ERR_BACKUP_NOT_FOUND");
  });

  it("fails verify with NG_ERR_BACKUP_CHECKSUM when git fsck --strict finds a corrupt object", async () => {
    const backups = manager();
    const manifest = await backups.archive({ tier: "critical" });
    const objects = join(workspace.repository, "objects");
    const fanout = (await readdir(objects)).find((name) => /^[0-9a-f]{2}$/.test(name)) as string;
    const object = join(objects, fanout, (await readdir(join(objects, fanout)))[0] as string);
    await chmod(object, 0o644);
    await writeFile(object, "not a zlib stream");
    const error = await expectCode(backups.verify(manifest.id), "NG_ERR_BACKUP_CHECKSUM");
    expect(error.message).toMatch(/git fsck --strict failed/);
    expect((await backups.verify(manifest.id, { repository: false })).repositoryChecked).toBe(false);
  });

  it("fails verify when a file's checksum in the manifest is wrong", async () => {
    const backups = manager();
    const manifest = await backups.archive({ tier: "critical" });
    const manifestPath = join(workspace.archives, `${manifest.id}.manifest.json`);
    const edited = JSON.parse(await readFile(manifestPath, "utf8"));
    edited.files[1].sha256 = "0".repeat(64);
    await writeFile(manifestPath, JSON.stringify(edited));
    await expectCode(backups.verify(manifest.id), "NG_ERR_BACKUP_CHECKSUM");
  });

  it("encrypts with AES-256-GCM: the key id is recorded, a wrong key or a forged ciphertext fails the tag", async () => {
    const backups = manager();
    const key = randomBytes(32);
    const manifest = await backups.archive({ tier: "production", encryptionKey: key, keyId: "backup-2026" });
    expect(manifest.archive.file.endsWith(".tar.gz.enc")).toBe(true);
    expect(manifest.archive.encryption).toEqual({ algorithm: "AES-256-GCM", keyId: "backup-2026" });
    expect((await backups.verify(manifest.id, { encryptionKey: key })).decrypted).toBe(true);
    await expectCode(backups.verify(manifest.id), "NG_ERR_BACKUP_ENCRYPTION");
    await expectCode(backups.verify(manifest.id, { encryptionKey: randomBytes(32) }), "NG_ERR_BACKUP_ENCRYPTION");
    // An attacker who also rewrites the manifest's checksum is still caught by the tag.
    const path = join(workspace.archives, manifest.archive.file);
    const bytes = await readFile(path);
    bytes[40] = (bytes[40] ?? 0) ^ 0x01;
    await writeFile(path, bytes);
    const manifestPath = join(workspace.archives, `${manifest.id}.manifest.json`);
    const edited = JSON.parse(await readFile(manifestPath, "utf8"));
    edited.archive.sha256 = execFileSync("sha256sum", [path], { encoding: "utf8" }).split(" ")[0];
    await writeFile(manifestPath, JSON.stringify(edited));
    await expectCode(backups.verify(manifest.id, { encryptionKey: key }), "NG_ERR_BACKUP_ENCRYPTION");
    await expectCode(
      backups.archive({ tier: "production", encryptionKey: randomBytes(16), keyId: "k" }),
      "NG_ERR_BACKUP_ENCRYPTION",
    );
  });

  it("decrypts with the runbook's node one-liner (no SDK) into a tar.gz the system tar lists", async () => {
    const runbook = await readFile(new URL("../../../docs/backup.md", import.meta.url), "utf8");
    const script = /node -e '\n([\s\S]*?)\n' "\$id\.tar\.gz\.enc"/.exec(runbook)?.[1];
    expect(script).toBeDefined();
    const key = randomBytes(32);
    const manifest = await manager().archive({ tier: "production", encryptionKey: key, keyId: "k" });
    const file = join(workspace.archives, manifest.archive.file);
    const manifestFile = join(workspace.archives, `${manifest.id}.manifest.json`);
    const gzipped = execFileSync(process.execPath, ["-e", script as string, file, key.toString("hex"), manifestFile]);
    const listed = execFileSync("tar", ["-tzf", "-"], { input: gzipped, encoding: "utf8" });
    expect(listed.trim().split("\n")).toEqual(manifest.files.map((entry) => entry.path));
  });

  it("lists manifests from disk in a new manager, newest first", async () => {
    const first = await manager().archive({ tier: "temporary" });
    clock.advance(3_600_000);
    await writeFiles(workspace.source, { "new/one.json": templateText("new/one", "1.0.0") });
    const second = await manager().archive({ tier: "critical" });
    const listed = await manager().list();
    expect(listed.map((manifest) => manifest.id)).toEqual([second.id, first.id]);
  });
});

describe("restore", () => {
  it("round-trips awkward trees (long and non-ASCII paths, binary, empty and large files) from an archive and from a snapshot", async () => {
    const longPath = `${"deeply-nested-directory/".repeat(6)}${"a-template-with-a-long-name".repeat(3)}.json`;
    await writeFiles(workspace.source, {
      [longPath]: templateText("long/one", "1.0.0"),
      "équipe/agent-ü.json": templateText("équipe/agent-ü", "1.0.0"),
      "binary/all-bytes.bin": Uint8Array.from({ length: 256 * 4 }, (_, index) => index % 256),
      "binary/empty.json": "",
      "binary/large.bin": randomBytes(300_000),
    });
    expect(longPath.length).toBeGreaterThan(200);
    const expected = await treeOf(workspace.source);
    const backups = manager();
    const manifest = await backups.archive({ tier: "development" });
    const snapshot = await backups.snapshot({ message: "awkward tree" });

    const fromArchive = join(workspace.root, "from-archive");
    await mkdir(fromArchive);
    await backups.restore(manifest.id, { target: fromArchive });
    expect(await treeOf(fromArchive)).toEqual(expected);

    const fromSnapshot = join(workspace.root, "from-snapshot");
    await mkdir(fromSnapshot);
    await backups.restore(snapshot.commit as string, { target: fromSnapshot });
    expect(await treeOf(fromSnapshot)).toEqual(expected);

    const byTar = join(workspace.root, "by-tar");
    await mkdir(byTar);
    execFileSync("tar", ["-xzf", join(workspace.archives, manifest.archive.file), "-C", byTar]);
    expect(await treeOf(byTar)).toEqual(expected);
    execFileSync("git", ["--git-dir", workspace.repository, "fsck", "--strict"]);
  });

  it("round-trips an archive into an empty directory with identical bytes", async () => {
    const backups = manager();
    const manifest = await backups.archive({ tier: "production", encryptionKey: Buffer.alloc(32, 1), keyId: "k1" });
    const target = join(workspace.root, "restored");
    await mkdir(target);
    const result = await backups.restore(manifest.id, { target, encryptionKey: Buffer.alloc(32, 1) });
    expect(result.added).toHaveLength(4);
    expect(await treeOf(target)).toEqual(await treeOf(workspace.source));
    expect((await readdir(workspace.root)).filter((name) => name.includes("nextgen-"))).toEqual([]);
  });

  it("restores a snapshot commit over the source, after a pre-restore snapshot", async () => {
    const backups = manager();
    const before = await treeOf(workspace.source);
    const first = await backups.snapshot({ message: "good" });
    await writeFiles(workspace.source, { "security/auditor.json": "broken", "extra/file.json": "{}" });
    const dryRun = await backups.restore(first.commit as string, { dryRun: true });
    expect(dryRun).toMatchObject({ dryRun: true, changed: ["security/auditor.json"], removed: ["extra/file.json"] });
    expect(await readFile(join(workspace.source, "security/auditor.json"), "utf8")).toBe("broken");
    const result = await backups.restore(first.commit as string);
    expect(await treeOf(workspace.source)).toEqual(before);
    // The broken state was kept in history before it was replaced.
    const preRestore = await backups.restore(result.preRestoreCommit as string, {
      target: join(workspace.root, "pre"),
      dryRun: false,
    });
    expect(preRestore.files).toBe(5);
    await expectCode(backups.restore("no-such-ref"), "NG_ERR_BACKUP_NOT_FOUND");
    await expectCode(backups.restore("--upload-pack=evil"), "NG_ERR_BACKUP_NOT_FOUND");
    await expectCode(
      backups.restore(first.commit as string, { target: workspace.repository }),
      "NG_ERR_BACKUP_RESTORE",
    );
    await writeFile(join(workspace.root, "a-file"), "x");
    await expectCode(
      backups.restore(first.commit as string, { target: join(workspace.root, "a-file") }),
      "NG_ERR_BACKUP_RESTORE",
    );
  });
});

describe("prune", () => {
  it("removes what the policy does not keep, keeps the newest verified archive, and refuses an empty policy", async () => {
    const backups = manager();
    const ids: string[] = [];
    for (let day = 0; day < 4; day++) {
      await writeFiles(workspace.source, { "day.txt": String(day) });
      ids.push((await backups.archive({ tier: "temporary" })).id);
      clock.advance(86_400_000);
    }
    // Corrupt the newest: the newest *verified* one is then the third.
    await writeFile(join(workspace.archives, `${ids[3]}.tar.gz`), "garbage");
    clock.advance(30 * 86_400_000); // every archive is now past the 7-day temporary maximum
    const dryRun = await backups.prune({ policy: { keepLast: 10 }, dryRun: true });
    expect(dryRun.removed).toEqual([]);
    expect(dryRun.plan.keep.map((decision) => decision.id)).toEqual([ids[2]]);
    expect((await backups.list()).length).toBe(4);
    const result = await backups.prune({ policy: { keepLast: 10 } });
    expect([...result.removed].sort()).toEqual([ids[0], ids[1], ids[3]].sort());
    expect((await backups.list()).map((manifest) => manifest.id)).toEqual([ids[2]]);
    expect(await readdir(workspace.archives)).toEqual([`${ids[2]}.manifest.json`, `${ids[2]}.tar.gz`].sort());
    await expectCode(backups.prune({ policy: {} }), "NG_ERR_BACKUP_RETENTION_POLICY");
  });
});

describe("lock and git checks", () => {
  it("refuses a second operation while one holds the lock, and takes over a dead process's lock", async () => {
    const backups = manager();
    await backups.snapshot({ message: "init" });
    const lockPath = join(workspace.repository, "nextgen.lock");
    await writeFile(
      lockPath,
      JSON.stringify({ pid: process.pid, hostname: hostname(), created: "x", operation: "archive" }),
    );
    const error = await expectCode(backups.snapshot({ message: "blocked" }), "NG_ERR_BACKUP_LOCKED");
    expect(error.message).toContain(`pid ${process.pid}`);
    // A lock from another host cannot be judged from here: it is respected.
    await writeFile(lockPath, JSON.stringify({ pid: 1, hostname: "elsewhere", created: "x", operation: "prune" }));
    await expectCode(backups.snapshot({ message: "blocked" }), "NG_ERR_BACKUP_LOCKED");
    // A pid that cannot be alive: the lock is stale.
    await writeFile(
      lockPath,
      JSON.stringify({ pid: 2 ** 22 + 12345, hostname: hostname(), created: "x", operation: "archive" }),
    );
    expect((await backups.snapshot({ message: "after stale" })).changed).toBe(false);
    await expect(readFile(lockPath)).rejects.toThrow();
    // Concurrent calls on one manager queue instead of failing: had they interleaved, the
    // second would have found the first's lock file and failed with NG_ERR_BACKUP_LOCKED.
    const outcomes = await Promise.allSettled([
      backups.archive({ tier: "temporary" }),
      backups.snapshot({ message: "meanwhile" }),
      backups.archive({ tier: "development" }),
    ]);
    expect(outcomes.map((outcome) => outcome.status)).toEqual(["fulfilled", "fulfilled", "fulfilled"]);
  });

  it("says clearly when git is missing or too old", async () => {
    const missing = createBackupManager({ ...workspace, gitBinary: join(workspace.root, "no-git") });
    expect((await expectCode(missing.snapshot({ message: "x" }), "NG_ERR_BACKUP_GIT")).message).toMatch(
      /git was not found/,
    );
    const fake = join(workspace.root, "old-git");
    await writeFile(fake, "#!/bin/sh\necho 'git version 2.1.4'\n");
    await chmod(fake, 0o755);
    const old = createBackupManager({ ...workspace, gitBinary: fake });
    expect((await expectCode(old.snapshot({ message: "x" }), "NG_ERR_BACKUP_GIT")).message).toMatch(
      /2\.25 or newer.*2\.1\.4/,
    );
  });

  it("validates options at construction", () => {
    expect(() => createBackupManager({ ...workspace, repository: join(workspace.source, "repo") })).toThrow(
      /options.repository/,
    );
    expect(() => createBackupManager({ ...workspace, archives: "" })).toThrow(/options.archives/);
    expect(() => createBackupManager({ ...workspace, clock: {} as never })).toThrow(/options.clock/);
    // The old shape, a bare function, is not a Clock: refused by name, not read as "no clock".
    expect(() => createBackupManager({ ...workspace, clock: Date.now as never })).toThrow(
      expect.objectContaining({ code: "NG_ERR_OPTIONS_INVALID", option: "options.clock" }),
    );
  });

  it("refuses a missing options object or target with a coded error naming it, not a TypeError", async () => {
    const backups = manager();
    expect((await expectCode(backups.archive(undefined as never), "NG_ERR_OPTIONS_INVALID")).message).toMatch(
      /options/,
    );
    await expectCode(backups.prune(undefined as never), "NG_ERR_OPTIONS_INVALID");
    // null options and a non-string id are coded refusals too, not a TypeError (issue 12.5).
    await expectCode(backups.verify("x", null as never), "NG_ERR_OPTIONS_INVALID");
    await expectCode(backups.restore(42 as never), "NG_ERR_OPTIONS_INVALID");
    await expectCode(backups.restore("x", null as never), "NG_ERR_OPTIONS_INVALID");
    await expectCode(backups.verify(undefined as never), "NG_ERR_BACKUP_NOT_FOUND");
    await expectCode(backups.recover(null as never), "NG_ERR_OPTIONS_INVALID");
    await expectCode(backups.archive({ tier: "forever" as never }), "NG_ERR_OPTIONS_INVALID");
    const snapshot = await backups.snapshot({ message: "x" });
    const error = await expectCode(
      backups.restore(snapshot.commit as string, { target: 42 as never }),
      "NG_ERR_OPTIONS_INVALID",
    );
    expect(error.message).toMatch(/options\.target/);
  });
});

afterEach(async () => {
  await rm(join(workspace.root, "no-such"), { force: true });
});
