import { readFileSync } from "node:fs";
import { rm } from "node:fs/promises";
import { join } from "node:path";
import { type Clock, OptionsError, type Signer, type TemplateTier } from "@nextgen/core";
import { withIo } from "../errors/io-error.js";
import { writeFileAtomic } from "../fs/atomic-write.js";
import { walkTree } from "../fs/walk-tree.js";
import { DEFAULT_MAX_AGE_DAYS } from "../retention/retention-policy.js";
import type { ProgressListener } from "../types.js";
import { SDK_VERSION } from "../version.js";
import { archiveId } from "./archive-id.js";
import type { ArchiveOptions } from "./archive-types.js";
import { assertKey, encryptArchive } from "./encryption.js";
import { gzipReproducible } from "./gzip.js";
import { type BackupManifest, type ManifestFile, manifestFileName, serializeManifest } from "./manifest.js";
import { manifestBindingBytes } from "./manifest-binding.js";
import { signManifest } from "./manifest-signature.js";
import { sha256Hex } from "./sha256.js";
import { type TarFile, writeTar } from "./tar-writer.js";
import { describeTemplate, type TemplateRecord } from "./template-info.js";

const READ_BATCH = 256;

const TIERS: readonly TemplateTier[] = ["critical", "production", "development", "temporary"];

/** Calls a progress listener without letting it throw into the operation. */
export function report(
  listener: ProgressListener | undefined,
  phase: "read" | "write" | "verify",
  done: number,
  total: number,
): void {
  if (listener === undefined) return;
  try {
    listener({ phase, done, total });
  } catch {
    // A progress bar must never break a backup.
  }
}

/** Checks `archive()` options before any work. */
export function checkArchiveOptions(options: ArchiveOptions, requireEncryption: boolean): void {
  if (!TIERS.includes(options.tier)) {
    throw new OptionsError("options.tier", `must be one of ${TIERS.join(", ")}.`);
  }
  if (requireEncryption && options.encryptionKey === undefined) {
    throw new OptionsError("options.encryptionKey", "is required: the manager was created with requireEncryption.");
  }
  if (options.encryptionKey !== undefined) {
    assertKey(options.encryptionKey);
    if (typeof options.keyId !== "string" || options.keyId.length === 0) {
      throw new OptionsError("options.keyId", "is required with options.encryptionKey.");
    }
  }
}

/** The tar.gz of a tree and what the manifest says about its files. */
export interface PackedTree {
  readonly gzipped: Buffer;
  readonly files: ManifestFile[];
  readonly templates: TemplateRecord[];
}

/** Reads every file below `source` (sorted) and packs it into a reproducible tar.gz. */
export async function packTree(
  source: string,
  exclude: ReadonlySet<string>,
  onProgress?: ProgressListener,
): Promise<PackedTree> {
  const tree = await walkTree(source, exclude);
  // Synchronous reads in batches: for many small files the promise API's per-file handle
  // and thread-pool round trips cost several times the read itself. Yielding between
  // batches keeps the event loop responsive.
  const contents: Buffer[] = [];
  for (const [index, file] of tree.entries()) {
    contents.push(await withIo(file.absolutePath, "read", () => readFileSync(file.absolutePath)));
    if ((index + 1) % READ_BATCH === 0 || index + 1 === tree.length) {
      report(onProgress, "read", index + 1, tree.length);
      await new Promise<void>((resolve) => setImmediate(resolve));
    }
  }
  const entries: TarFile[] = [];
  const files: ManifestFile[] = [];
  const templates: TemplateRecord[] = [];
  for (const [index, file] of tree.entries()) {
    const data = contents[index] as Buffer;
    entries.push({ path: file.path, data });
    files.push({ path: file.path, size: data.length, sha256: sha256Hex(data) });
    const template = describeTemplate(file.path, data);
    if (template !== undefined) templates.push(template);
  }
  return { gzipped: gzipReproducible(await writeTar(entries)), files, templates };
}

/** How the manifest is signed, when it is. */
export interface ManifestSigning {
  readonly signer: Signer | undefined;
  readonly clock: Clock;
}

/**
 * Writes `<id>.tar.gz[.enc]` then `<id>.manifest.json` (each by temp file + rename; the
 * manifest last, so a crash never leaves a manifest without its archive). An encrypted
 * archive is sealed to its manifest (GCM associated data); with a signer, the manifest is
 * signed, which authenticates plaintext archives too.
 */
export async function writeArchive(
  archivesDir: string,
  packed: PackedTree,
  options: ArchiveOptions,
  createdMs: number,
  commit: string | undefined,
  signing: ManifestSigning = { signer: undefined, clock: { now: () => createdMs } },
): Promise<BackupManifest> {
  const contentSha256 = sha256Hex(packed.gzipped);
  const id = archiveId(createdMs, options.tier, contentSha256);
  const encrypted = options.encryptionKey !== undefined;
  const maxAgeDays = DEFAULT_MAX_AGE_DAYS[options.tier];
  const file = `${id}.tar.gz${encrypted ? ".enc" : ""}`;
  const encryption = encrypted
    ? { encryption: { algorithm: "AES-256-GCM", keyId: options.keyId as string } as const }
    : {};
  const unsealed: BackupManifest = {
    format: "nextgen-backup",
    formatVersion: 1,
    id,
    created: new Date(createdMs).toISOString(),
    tier: options.tier,
    retention: { tier: options.tier, maxAgeDays, expires: new Date(createdMs + maxAgeDays * 86_400_000).toISOString() },
    sdkVersion: SDK_VERSION,
    ...(commit === undefined ? {} : { commit }),
    // size and sha256 describe the stored bytes, known only after encryption; the seal leaves them out.
    archive: { file, size: 0, sha256: "", contentSha256, ...encryption },
    files: packed.files,
    templates: packed.templates,
  };
  const stored = encrypted
    ? encryptArchive(packed.gzipped, options.encryptionKey as Uint8Array, manifestBindingBytes(unsealed))
    : packed.gzipped;
  let manifest: BackupManifest = {
    ...unsealed,
    archive: { file, size: stored.length, sha256: sha256Hex(stored), contentSha256, ...encryption },
  };
  if (signing.signer !== undefined) {
    manifest = { ...manifest, signatures: await signManifest(manifest, signing.signer, signing.clock) };
  }
  const archivePath = join(archivesDir, manifest.archive.file);
  await writeFileAtomic(archivePath, stored);
  try {
    await writeFileAtomic(join(archivesDir, manifestFileName(id)), serializeManifest(manifest));
  } catch (error) {
    // No archive without its manifest: a full disk must not leave half a backup behind.
    await rm(archivePath, { force: true });
    throw error;
  }
  return manifest;
}
