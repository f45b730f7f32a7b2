import { generateKeyPairSync, randomBytes } from "node:crypto";
import { mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { runCli } from "../test-support/run-cli.js";

const run = runCli;

let root: string;
let locations: string[];
beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), "nextgen-cli-backup-"));
  const source = join(root, "templates");
  await mkdir(join(source, "security"), { recursive: true });
  await writeFile(
    join(source, "security/auditor.json"),
    `${JSON.stringify({ schemaVersion: 1, id: "security/auditor", version: "1.0.0", name: "Auditor", role: "specialist" })}\n`,
  );
  locations = ["--source", source, "--repository", join(root, "repo"), "--archives", join(root, "archives")];
});
afterEach(() => rm(root, { recursive: true, force: true }));

describe("nextgen backup", () => {
  it("snapshots, archives (encrypted), lists, verifies, restores and prunes, with --json", async () => {
    const snapshot = await run("backup", "snapshot", ...locations, "-m", "first", "--json");
    expect(snapshot.exitCode, snapshot.stderr).toBe(0);
    expect(JSON.parse(snapshot.stdout)).toMatchObject({ changed: true, files: 1 });
    expect((await run("backup", "snapshot", ...locations)).stdout).toMatch(/^No changes/);

    const keyFile = join(root, "backup.key");
    await writeFile(keyFile, randomBytes(32).toString("hex"), { mode: 0o600 });
    const archived = await run(
      "backup",
      "archive",
      ...locations,
      "--tier",
      "critical",
      "--key-file",
      keyFile,
      "--key-id",
      "k1",
      "--json",
    );
    expect(archived.exitCode, archived.stderr).toBe(0);
    const manifest = JSON.parse(archived.stdout) as { id: string; archive: { encryption: { keyId: string } } };
    const keyIdAlone = await run("backup", "archive", ...locations, "--key-id", "k1");
    expect(keyIdAlone.exitCode).toBe(1);
    expect(keyIdAlone.stderr).toMatch(/NG_ERR_OPTIONS_INVALID.*--kid/);
    expect(manifest.archive.encryption.keyId).toBe("k1");

    const listed = await run("backup", "list", ...locations);
    expect(listed.stdout).toContain(manifest.id);
    expect(listed.stdout).toContain("critical");

    const verified = await run("backup", "verify", manifest.id, ...locations, "--key-file", keyFile);
    expect(verified.stdout).toMatch(/^OK .*GCM tag valid, git fsck --strict passed/);
    const noKey = await run("backup", "verify", manifest.id, ...locations);
    expect(noKey.exitCode).toBe(1);
    expect(noKey.stderr).toContain("NG_ERR_BACKUP_ENCRYPTION");

    const target = join(root, "restored");
    const restored = await run(
      "backup",
      "restore",
      manifest.id,
      ...locations,
      "--target",
      target,
      "--key-file",
      keyFile,
      "--json",
    );
    expect(JSON.parse(restored.stdout)).toMatchObject({ files: 1, added: ["security/auditor.json"] });
    expect(await readFile(join(target, "security/auditor.json"), "utf8")).toContain('"version":"1.0.0"');

    const pruned = await run("backup", "prune", ...locations, "--keep-last", "1", "--dry-run");
    expect(pruned.stdout).toMatch(/keep\s+\S+\s+last snapshot/);
    const empty = await run("backup", "prune", ...locations);
    expect(empty.stderr).toContain("NG_ERR_BACKUP_RETENTION_POLICY");
  });

  it("rolls a template back by version and shows its history", async () => {
    await run("backup", "snapshot", ...locations, "-m", "v1");
    const file = join(locations[1] as string, "security/auditor.json");
    await writeFile(file, (await readFile(file, "utf8")).replace("1.0.0", "2.0.0"));
    await run("backup", "snapshot", ...locations, "-m", "v2");
    const history = await run("backup", "history", "security/auditor", ...locations);
    expect(history.stdout).toMatch(/2\.0\.0\s+v2[\s\S]*1\.0\.0\s+v1/);
    const commits = JSON.parse((await run("backup", "history", "security/auditor", ...locations, "--json")).stdout);
    const [newer, older] = (commits as { commit: string }[]).map((entry) => entry.commit);
    const diff = await run("backup", "diff", older as string, newer as string, ...locations);
    expect(diff.exitCode, diff.stderr).toBe(0);
    expect(diff.stdout).toMatch(/1 changed\nmodified security\/auditor\.json \(security\/auditor\)/);
    expect(diff.stdout).toContain('+{"schemaVersion":1,"id":"security/auditor","version":"2.0.0"');
    const unknown = await run("backup", "diff", "deadbeef", newer as string, ...locations);
    expect(unknown.stderr).toContain("NG_ERR_BACKUP_NOT_FOUND");
    const rolled = await run("backup", "rollback", "security/auditor", "1.0.0", ...locations);
    expect(rolled.exitCode, rolled.stderr).toBe(0);
    expect(rolled.stdout).toContain("Rolled security/auditor back to 1.0.0");
    expect(await readFile(file, "utf8")).toContain("1.0.0");
  });

  it("restore --dry-run lists every path it would change in text output, escaping control characters", async () => {
    const source = locations[1] as string;
    const archived = JSON.parse((await run("backup", "archive", ...locations, "--json")).stdout) as { id: string };
    await writeFile(join(source, "security/auditor.json"), "edited\n");
    await mkdir(join(source, "extra"));
    await writeFile(join(source, "extra/\u001b[2Jnew.json"), "{}\n");
    const dryRun = await run("backup", "restore", archived.id, ...locations, "--dry-run");
    expect(dryRun.exitCode, dryRun.stderr).toBe(0);
    expect(dryRun.stdout).toContain("Would restore");
    expect(dryRun.stdout).toContain("  ~ security/auditor.json\n");
    expect(dryRun.stdout).toContain("  - extra/\\x1b[2Jnew.json\n");
    expect(dryRun.stdout).not.toContain("\u001b");
    expect(await readFile(join(source, "security/auditor.json"), "utf8")).toBe("edited\n");
  });

  it("restore refuses to replace trust.json unless --trust-files says so, and a plaintext archive with --require-encryption", async () => {
    const source = locations[1] as string;
    await writeFile(join(source, "trust.json"), '{"version":1}\n');
    const archived = JSON.parse((await run("backup", "archive", ...locations, "--json")).stdout) as { id: string };
    await writeFile(join(source, "trust.json"), '{"version":1,"revoked":["leaked"]}\n');
    const refused = await run("backup", "restore", archived.id, ...locations);
    expect(refused.exitCode).toBe(1);
    expect(refused.stderr).toMatch(/NG_ERR_BACKUP_RESTORE.*trust\.json.*--trust-files keep/);
    const dryRun = await run("backup", "restore", archived.id, ...locations, "--dry-run");
    expect(dryRun.stdout).toMatch(/Trust files the backup differs on .*: trust\.json/);
    const kept = await run("backup", "restore", archived.id, ...locations, "--trust-files", "keep");
    expect(kept.exitCode, kept.stderr).toBe(0);
    expect(await readFile(join(source, "trust.json"), "utf8")).toContain("leaked");
    const plaintext = await run("backup", "verify", archived.id, ...locations, "--require-encryption");
    expect(plaintext.exitCode).toBe(1);
    expect(plaintext.stderr).toMatch(/NG_ERR_BACKUP_ENCRYPTION.*not encrypted/);
  });

  it("archive --sign-key signs the manifest; verify --trust checks it against trust.json", async () => {
    const { privateKey, publicKey } = generateKeyPairSync("ed25519");
    const trustFile = join(root, "trust.json");
    await writeFile(
      trustFile,
      JSON.stringify({
        version: 1,
        keys: [{ ...publicKey.export({ format: "jwk" }), kid: "backup-2026", alg: "EdDSA" }],
        delegations: [{ ids: ["nextgen-backup/*"], keys: ["backup-2026"], threshold: 1 }],
      }),
    );
    const keyFile = join(root, "backup-2026.pem");
    await writeFile(keyFile, privateKey.export({ format: "pem", type: "pkcs8" }), { mode: 0o600 });
    const archived = await run(
      "backup",
      "archive",
      ...locations,
      "--sign-key",
      keyFile,
      "--sign-kid",
      "backup-2026",
      "--json",
    );
    expect(archived.exitCode, archived.stderr).toBe(0);
    const signed = JSON.parse(archived.stdout) as { id: string; signatures: unknown[] };
    expect(signed.signatures).toHaveLength(1);
    const kidAlone = await run("backup", "archive", ...locations, "--sign-kid", "backup-2026");
    expect(kidAlone.stderr).toMatch(/NG_ERR_OPTIONS_INVALID.*--sign-key/);
    const ok = await run("backup", "verify", signed.id, ...locations, "--trust", trustFile);
    expect(ok.stdout, ok.stderr).toMatch(/manifest signed by backup-2026/);
    const unsigned = JSON.parse((await run("backup", "archive", ...locations, "--tier", "temporary", "--json")).stdout);
    const refused = await run("backup", "verify", unsigned.id, ...locations, "--trust", trustFile);
    expect(refused.exitCode).toBe(1);
    expect(refused.stderr).toMatch(/NG_ERR_BACKUP_SIGNATURE.*unsigned manifest/);
  });

  it("has --help on every subcommand", async () => {
    for (const name of ["snapshot", "archive", "list", "verify", "restore", "prune", "rollback", "history", "diff"]) {
      const help = await run("backup", name, "--help");
      expect(help.stdout, name).toContain(`Usage: nextgen backup ${name}`);
      expect(help.stdout, name).toContain("--repository <dir>");
    }
  });
});
