import { randomBytes } from "node:crypto";
import { mkdir, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { diskState, refusal } from "../__fixtures__/refusal.js";
import { backupTrustDocument, makeSigningKey } from "../__fixtures__/signing.js";
import { createWorkspace, fakeClock, type TestWorkspace, writeFiles } from "../__fixtures__/workspace.js";
import { createBackupManager } from "../backup-manager.js";
import type { BackupManagerOptions } from "../types.js";
import type { BackupManifest } from "./manifest.js";

let workspace: TestWorkspace;
let attacker: TestWorkspace;
const clock = fakeClock();
beforeEach(async () => {
  workspace = await createWorkspace();
  attacker = await createWorkspace();
  await writeFiles(workspace.source, { "trust.json": '{"version":1,"keys":["the real key"]}\n' });
  await writeFiles(attacker.source, { "trust.json": '{"version":1,"keys":["the attacker key"]}\n' });
});
afterEach(async () => {
  await workspace.dispose();
  await attacker.dispose();
});

const manager = (options: Partial<BackupManagerOptions> = {}) =>
  createBackupManager({ ...workspace, clock, ...options });

const manifestPath = (id: string): string => join(workspace.archives, `${id}.manifest.json`);
const readJson = async (path: string): Promise<BackupManifest> => JSON.parse(await readFile(path, "utf8"));

/**
 * The attack of issue 11.2: the attacker archives their own tree (plaintext, self-consistent
 * manifest) and puts it in place of the victim's encrypted archive, under the victim's id.
 */
async function swapInPlaintext(victim: BackupManifest): Promise<void> {
  const forged = await createBackupManager({ ...attacker, clock }).archive({ tier: victim.tier });
  const bytes = await readFile(join(attacker.archives, forged.archive.file));
  await rm(join(workspace.archives, victim.archive.file));
  const file = `${victim.id}.tar.gz`;
  await writeFile(join(workspace.archives, file), bytes);
  await writeFile(
    manifestPath(victim.id),
    JSON.stringify({ ...forged, id: victim.id, archive: { ...forged.archive, file } }),
  );
}

describe("encryption downgrade", () => {
  it("refuses a plaintext archive swapped in for an encrypted one when a key is given, and touches nothing", async () => {
    const key = randomBytes(32);
    const victim = await manager().archive({ tier: "production", encryptionKey: key, keyId: "k" });
    await swapInPlaintext(victim);
    const before = await diskState(workspace.root);
    const error = await refusal(manager().restore(victim.id, { encryptionKey: key, trustFiles: "replace" }));
    expect([error.code, error.reason]).toEqual(["NG_ERR_BACKUP_ENCRYPTION", "encryption-downgrade"]);
    expect(error.message).toMatch(/not encrypted, but a key was given/);
    await expect(manager().verify(victim.id, { encryptionKey: key })).rejects.toMatchObject({
      reason: "encryption-downgrade",
    });
    expect(await diskState(workspace.root)).toEqual(before);
    expect(await readFile(join(workspace.source, "trust.json"), "utf8")).toContain("the real key");
  });

  it("with requireEncryption, refuses plaintext archives without a key and refuses to write one", async () => {
    const plain = await manager().archive({ tier: "production" });
    const strict = manager({ requireEncryption: true });
    const error = await refusal(strict.verify(plain.id));
    expect([error.code, error.reason]).toEqual(["NG_ERR_BACKUP_ENCRYPTION", "encryption-downgrade"]);
    expect((await refusal(manager().restore(plain.id, { requireEncryption: true, dryRun: true }))).reason).toBe(
      "encryption-downgrade",
    );
    await expect(strict.archive({ tier: "production" })).rejects.toMatchObject({ code: "NG_ERR_OPTIONS_INVALID" });
    expect((await manager().verify(plain.id)).files).toBe(5);
  });
});

describe("manifest bound to the encrypted archive (GCM associated data)", () => {
  it("fails the tag when any manifest field beside the archive is edited", async () => {
    const key = randomBytes(32);
    const manifest = await manager().archive({ tier: "production", encryptionKey: key, keyId: "k" });
    const original = await readFile(manifestPath(manifest.id), "utf8");
    const edits: ((copy: BackupManifest) => unknown)[] = [
      (copy) => Object.assign(copy, { tier: "temporary" }),
      (copy) => Object.assign(copy.retention, { expires: "2099-01-01T00:00:00.000Z" }),
      (copy) => Object.assign(copy.templates[0] ?? {}, { version: "9.9.9" }),
      (copy) => Object.assign(copy.archive.encryption ?? {}, { keyId: "other" }),
    ];
    for (const edit of edits) {
      const copy = JSON.parse(original) as BackupManifest;
      edit(copy);
      await writeFile(manifestPath(manifest.id), JSON.stringify(copy));
      const error = await refusal(manager().verify(manifest.id, { encryptionKey: key }));
      expect([error.code, error.reason]).toEqual(["NG_ERR_BACKUP_ENCRYPTION", "authentication-failed"]);
    }
    await writeFile(manifestPath(manifest.id), original);
    expect((await manager().verify(manifest.id, { encryptionKey: key })).decrypted).toBe(true);
  });
});

describe("manifest signatures (core Signer, verified against the trust policy)", () => {
  const backupKey = makeSigningKey("backup-2026");
  const trust = backupTrustDocument([backupKey]);

  it("signs manifests and authenticates plaintext archives with core's verifier", async () => {
    const manifest = await manager({ signer: backupKey.signer }).archive({ tier: "critical" });
    expect(manifest.signatures).toHaveLength(1);
    const report = await manager({ trust }).verify(manifest.id);
    expect(report.signedBy).toEqual(["backup-2026"]);
  });

  it("refuses an unsigned manifest, a forged archive with the old signature, and a signature by an untrusted key", async () => {
    const unsigned = await manager().archive({ tier: "production" });
    let error = await refusal(manager({ trust }).verify(unsigned.id));
    expect([error.code, error.reason]).toEqual(["NG_ERR_BACKUP_SIGNATURE", "unsigned"]);

    // The attacker replaces the archive and rewrites every checksum; the signature no longer matches.
    clock.advance(1000);
    const signed = await manager({ signer: backupKey.signer }).archive({ tier: "production" });
    await swapInPlaintext(signed);
    const forged = await readJson(manifestPath(signed.id));
    await writeFile(manifestPath(signed.id), JSON.stringify({ ...forged, signatures: signed.signatures }));
    const before = await diskState(workspace.root);
    error = await refusal(manager({ trust }).restore(signed.id, { trustFiles: "replace" }));
    expect([error.code, error.reason]).toEqual(["NG_ERR_BACKUP_SIGNATURE", "signature-invalid"]);
    expect(error.message).toMatch(/NG_ERR_SIGNATURE_BAD/);
    expect(await diskState(workspace.root)).toEqual(before);

    // Signed by the attacker's own key: not in the policy.
    clock.advance(1000);
    const byAttacker = await manager({ signer: makeSigningKey("backup-2026").signer }).archive({ tier: "production" });
    error = await refusal(manager({ trust }).verify(byAttacker.id));
    expect([error.code, error.reason]).toEqual(["NG_ERR_BACKUP_SIGNATURE", "signature-invalid"]);
  });

  it("refuses a trust policy that does not require signatures", () => {
    expect(() => manager({ trust: { ...trust, requireSignatures: false } })).toThrow(/options\.trust/);
  });
});

describe("trust files on restore", () => {
  it("never replaces trust.json or rollback state unless asked: refuses, reports on a dry run, keeps or replaces", async () => {
    await writeFiles(workspace.source, { "trust.state.json": '{"marks":{"security/auditor":"1.0.0"}}\n' });
    await writeFiles(attacker.source, { "trust.state.json": '{"marks":{}}\n' });
    const hostile = await createBackupManager({ ...attacker, clock }).archive({ tier: "production" });
    // The hostile archive is a valid archive of the attacker's tree, placed in our archives directory.
    await mkdir(workspace.archives, { recursive: true });
    for (const name of await readdir(attacker.archives)) {
      await writeFile(join(workspace.archives, name), await readFile(join(attacker.archives, name)));
    }
    await manager().recover(); // creates the repository, which the comparison below then includes
    const before = await diskState(workspace.root);
    const error = await refusal(manager().restore(hostile.id));
    expect([error.code, error.reason]).toEqual(["NG_ERR_BACKUP_RESTORE", "trust-files"]);
    expect(error.message).toMatch(/would replace trust files \(trust\.json, trust\.state\.json\)/);
    expect(await diskState(workspace.root)).toEqual(before);

    const dryRun = await manager().restore(hostile.id, { dryRun: true });
    expect(dryRun.trustFiles).toEqual(["trust.json", "trust.state.json"]);

    await manager().restore(hostile.id, { trustFiles: "keep" });
    expect(await readFile(join(workspace.source, "trust.json"), "utf8")).toContain("the real key");
    expect(await readFile(join(workspace.source, "trust.state.json"), "utf8")).toContain("security/auditor");

    await manager().restore(hostile.id, { trustFiles: "replace" });
    expect(await readFile(join(workspace.source, "trust.json"), "utf8")).toContain("the attacker key");

    // Onto a new machine (no trust files yet) nothing is replaced: they are added, and reported.
    const fresh = join(workspace.root, "fresh");
    const added = await manager().restore(hostile.id, { target: fresh });
    expect(added.trustFiles).toEqual(["trust.json", "trust.state.json"]);
    expect(added.added).toContain("trust.json");
  });
});
