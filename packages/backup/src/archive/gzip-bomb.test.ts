import { readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { refusal } from "../__fixtures__/refusal.js";
import { createWorkspace, fakeClock, type TestWorkspace } from "../__fixtures__/workspace.js";
import { createBackupManager } from "../backup-manager.js";
import { readTreeFiles } from "../restore/tree-files.js";
import type { BackupManifest } from "./manifest.js";
import { sha256Hex } from "./sha256.js";
import { writeTar } from "./tar-writer.js";
import { maxTarBytes } from "./unpacked-size.js";

let workspace: TestWorkspace;
let manifest: BackupManifest;
const clock = fakeClock();
beforeEach(async () => {
  workspace = await createWorkspace();
  manifest = await createBackupManager({ ...workspace, clock }).archive({ tier: "production" });
});
afterEach(() => workspace.dispose());

const manifestPath = (): string => join(workspace.archives, `${manifest.id}.manifest.json`);

describe("decompression bounded by the manifest", () => {
  async function plant(bomb: Buffer): Promise<void> {
    const digest = sha256Hex(bomb);
    await writeFile(join(workspace.archives, manifest.archive.file), bomb);
    await writeFile(
      manifestPath(),
      JSON.stringify({
        ...manifest,
        archive: { ...manifest.archive, size: bomb.length, sha256: digest, contentSha256: digest },
      }),
    );
  }

  it("stops a gzip bomb beside a self-consistent manifest at the tar size its files allow", async () => {
    // 16 MiB of zeros compress to about 16 KiB, less than the ~24 KiB of tar the manifest's
    // four small files allow: only the decompression bound can catch it.
    const bound = maxTarBytes(manifest.files);
    const bomb = gzipSync(Buffer.alloc(16 * 1024 * 1024), { level: 9 });
    expect(bomb.length).toBeLessThan(bound);
    await plant(bomb);
    const target = join(workspace.root, "target");
    const before = await readTreeFiles(workspace.root);
    const backups = createBackupManager({ ...workspace, clock });
    for (const attempt of [() => backups.verify(manifest.id), () => backups.restore(manifest.id, { target })]) {
      const error = await refusal(attempt());
      expect([error.code, error.reason]).toEqual(["NG_ERR_BACKUP_TOO_LARGE", "decompressed-too-large"]);
      expect(error.message).toMatch(new RegExp(`more than the ${bound} bytes`));
    }
    expect(await readTreeFiles(workspace.root)).toEqual(before);
  });

  it("refuses a bomb larger than any gzip of what the manifest lists before reading it", async () => {
    // The shape: megabytes of gzipped zeros beside a manifest of a few small files.
    await plant(gzipSync(Buffer.alloc(64 * 1024 * 1024)));
    const error = await refusal(createBackupManager({ ...workspace, clock }).verify(manifest.id));
    expect([error.code, error.reason]).toEqual(["NG_ERR_BACKUP_TOO_LARGE", "archive-too-large"]);
  });

  it("refuses a manifest promising more than maxUnpackedBytes before reading the archive", async () => {
    const edited = JSON.parse(await readFile(manifestPath(), "utf8")) as BackupManifest;
    const huge = {
      ...edited,
      files: edited.files.map((file, index) => (index === 0 ? { ...file, size: 2 ** 40 } : file)),
    };
    await writeFile(manifestPath(), JSON.stringify(huge));
    let error = await refusal(createBackupManager({ ...workspace, clock }).verify(manifest.id));
    expect([error.code, error.reason]).toEqual(["NG_ERR_BACKUP_TOO_LARGE", "manifest-too-large"]);

    // An archive file larger than any gzip of what the manifest lists is not even read.
    await writeFile(manifestPath(), JSON.stringify({ ...edited, archive: { ...edited.archive, size: 2 ** 33 } }));
    error = await refusal(createBackupManager({ ...workspace, clock }).verify(manifest.id));
    expect([error.code, error.reason]).toEqual(["NG_ERR_BACKUP_TOO_LARGE", "archive-too-large"]);

    await writeFile(manifestPath(), JSON.stringify(edited));
    const capped = createBackupManager({ ...workspace, clock, maxUnpackedBytes: 4096 });
    error = await refusal(capped.verify(manifest.id));
    expect([error.code, error.reason]).toEqual(["NG_ERR_BACKUP_TOO_LARGE", "manifest-too-large"]);
    expect((await capped.verify(manifest.id, { maxUnpackedBytes: 1024 * 1024 })).files).toBe(4);
    expect(() => createBackupManager({ ...workspace, maxUnpackedBytes: -1 })).toThrow(/options\.maxUnpackedBytes/);
  });

  it("bounds what our own writer produces for any names: PAX paths, non-ASCII, directories", async () => {
    const files = [
      { path: `${"long-directory-name/".repeat(12)}é.json`, data: Buffer.alloc(1000, 1) },
      { path: "a.json", data: Buffer.alloc(0) },
      { path: "b/c/d.json", data: Buffer.alloc(513) },
    ];
    const tar = await writeTar(files);
    const bound = maxTarBytes(files.map((file) => ({ path: file.path, size: file.data.length, sha256: "" })));
    expect(tar.length).toBeLessThanOrEqual(bound);
  });
});
