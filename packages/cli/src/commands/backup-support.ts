import { readFile, stat } from "node:fs/promises";
import {
  type BackupErrorCode,
  type BackupManager,
  type BackupManagerOptions,
  type BackupProgress,
  createBackupManager,
  type ProgressListener,
} from "@nextgen/backup";
import { loadTrustPolicy, localKeySigner, memoryStateStore, NextGenError, OptionsError } from "@nextgen/core";
import cliProgress from "cli-progress";
import { type Command, InvalidArgumentError, Option } from "commander";
import { writeErr, writeOut } from "../terminal-text.js";

/** Flags every `nextgen backup` subcommand accepts. */
export interface BackupLocationFlags {
  source: string;
  repository: string;
  archives: string;
  json?: boolean;
}

/** Adds `--source`, `--repository`, `--archives` (with environment fallbacks) and `--json`. */
export function withLocationOptions(command: Command): Command {
  return command
    .addOption(new Option("--source <dir>", "templates directory").env("NEXTGEN_BACKUP_SOURCE").default("templates"))
    .addOption(
      new Option("--repository <dir>", "dedicated git repository for snapshots")
        .env("NEXTGEN_BACKUP_REPOSITORY")
        .makeOptionMandatory(),
    )
    .addOption(
      new Option("--archives <dir>", "directory of archives and manifests")
        .env("NEXTGEN_BACKUP_ARCHIVES")
        .makeOptionMandatory(),
    )
    .option("--json", "print the result as JSON");
}

/** Adds `--key-file` (32-byte AES-256-GCM key: raw, hex or base64). */
export function withKeyOption(command: Command): Command {
  return command.addOption(
    new Option("--key-file <file>", "AES-256-GCM key file (32 raw bytes, or 64 hex / 44 base64 characters)").env(
      "NEXTGEN_BACKUP_KEY_FILE",
    ),
  );
}

/** Reads a key file: 32 raw bytes, or the key in hex or base64 text. */
export async function readKeyFile(path: string | undefined): Promise<Uint8Array | undefined> {
  if (path === undefined) return undefined;
  const { mode } = await stat(path);
  if (process.platform !== "win32" && (mode & 0o077) !== 0) {
    // Like ssh with a private key: say so, but do not refuse (a CI secret file may be 0644 in a private runner).
    writeErr(
      `nextgen: warning: ${path} can be read by group or others (mode ${(mode & 0o777).toString(8)}); chmod 600 it\n`,
    );
  }
  const raw = await readFile(path);
  if (raw.length === 32) return raw;
  const text = raw.toString("utf8").trim();
  if (/^[0-9a-fA-F]{64}$/.test(text)) return Buffer.from(text, "hex");
  const decoded = Buffer.from(text, "base64");
  if (decoded.length === 32) return decoded;
  throw new NextGenError<BackupErrorCode>(
    "NG_ERR_BACKUP_ENCRYPTION",
    `${path} does not hold a 32-byte key (raw, hex or base64).`,
  );
}

/** Flags that decide how archives are authenticated (`verify`, `restore`). */
export interface ArchiveTrustFlags {
  /** A trust.json whose keys must have signed the manifest. */
  trust?: string;
  requireEncryption?: boolean;
}

/** Adds `--trust <file>` and `--require-encryption`. */
export function withArchiveTrustOptions(command: Command): Command {
  return command
    .option(
      "--trust <file>",
      "trust.json: refuse archives whose manifest is not signed by keys it delegates nextgen-backup/* to",
    )
    .option("--require-encryption", "refuse a plaintext archive (a --key-file implies it)");
}

/** The manager for the flags given. */
export function managerFor(flags: BackupLocationFlags): BackupManager {
  return createBackupManager({ source: flags.source, repository: flags.repository, archives: flags.archives });
}

/** Flags that sign an archive's manifest (`archive`). */
export interface ManifestSigningFlags {
  /** Private key file (PKCS#8 PEM, as `nextgen keygen` writes). */
  signKey?: string;
  /** Its key id, as trust.json lists it. */
  signKid?: string;
}

/** Adds `--sign-key <file>` and `--sign-kid <kid>`. */
export function withManifestSigningOptions(command: Command): Command {
  return command
    .option("--sign-key <file>", "sign the manifest with this private key (PKCS#8 PEM, from nextgen keygen)")
    .option("--sign-kid <kid>", "key id of --sign-key, as trust.json lists it (delegate nextgen-backup/* to it)");
}

/** The manager for `archive`: signing manifests when `--sign-key` is given. */
export async function signingManagerFor(flags: BackupLocationFlags & ManifestSigningFlags): Promise<BackupManager> {
  if ((flags.signKey === undefined) !== (flags.signKid === undefined)) {
    throw new OptionsError("--sign-key", "and --sign-kid go together: give both to sign the manifest, or neither.");
  }
  let signer: ReturnType<typeof localKeySigner> | undefined;
  if (flags.signKey !== undefined) {
    const path = flags.signKey;
    const pem = await readFile(path, "utf8").catch((error: NodeJS.ErrnoException) => {
      throw new OptionsError("--sign-key", `cannot be read (${error.code ?? error.message}): ${path}`);
    });
    signer = localKeySigner({ key: pem, keyId: flags.signKid as string });
  }
  return createBackupManager({
    source: flags.source,
    repository: flags.repository,
    archives: flags.archives,
    ...(signer === undefined ? {} : { signer }),
  });
}

/** The manager for `verify` and `restore`: with `--trust` and `--require-encryption` applied. */
export async function checkingManagerFor(flags: BackupLocationFlags & ArchiveTrustFlags): Promise<BackupManager> {
  const options: BackupManagerOptions = {
    source: flags.source,
    repository: flags.repository,
    archives: flags.archives,
    ...(flags.requireEncryption === true ? { requireEncryption: true } : {}),
    // Verification only reads the policy: no rollback state is written beside it.
    ...(flags.trust === undefined
      ? {}
      : { trust: await loadTrustPolicy(flags.trust, { stateStore: memoryStateStore() }) }),
  };
  return createBackupManager(options);
}

// C0, DEL and C1 controls: a path from an untrusted archive must not drive the terminal.
// biome-ignore lint/suspicious/noControlCharactersInRegex: finding control characters (to escape them) is the point.
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/g;

/** `text` with control characters shown as `\xNN`, for human-readable output. */
export function printable(text: string): string {
  return text.replace(CONTROL, (character) => `\\x${character.charCodeAt(0).toString(16).padStart(2, "0")}`);
}

/** Files above which a progress bar is shown. */
const PROGRESS_THRESHOLD = 200;

/**
 * A progress listener drawing a bar on stderr for large trees, only on a terminal and
 * never with `--json` (so scripts and pipes get clean output). Call `stop()` when done.
 */
export function progressBar(enabled: boolean): { listener: ProgressListener | undefined; stop(): void } {
  if (!enabled || process.stderr.isTTY !== true) return { listener: undefined, stop: () => undefined };
  let bar: cliProgress.SingleBar | undefined;
  let phase: BackupProgress["phase"] | undefined;
  const stop = (): void => {
    bar?.stop();
    bar = undefined;
  };
  const listener: ProgressListener = (progress) => {
    if (progress.total < PROGRESS_THRESHOLD) return;
    if (phase !== progress.phase) {
      stop();
      phase = progress.phase;
      bar = new cliProgress.SingleBar(
        {
          stream: process.stderr,
          format: `${progress.phase.padEnd(6)} [{bar}] {value}/{total} files`,
          hideCursor: true,
        },
        cliProgress.Presets.shades_classic,
      );
      bar.start(progress.total, 0);
    }
    bar?.update(progress.done);
  };
  return { listener, stop };
}

/** Prints `value` as JSON, or `text()` for people. */
export function print(json: boolean | undefined, value: unknown, text: () => string): void {
  writeOut(json === true ? `${JSON.stringify(value, null, 2)}\n` : `${text()}\n`);
}

/** Parses a positive integer flag, or -1 / "unlimited" for no limit. */
export function parseCount(value: string): number {
  if (value === "unlimited" || value === "-1") return Number.POSITIVE_INFINITY;
  const count = Number(value);
  if (!Number.isInteger(count) || count < 0)
    throw new InvalidArgumentError(`${value} is not a count: use a non-negative integer or unlimited.`);
  return count;
}
