import type { RestoreResult, RetentionPolicy, TrustFilesMode } from "@nextgen/backup";
import { OptionsError, type TemplateTier } from "@nextgen/core";
import { type Command, Option } from "commander";
import { registerBackupHistory } from "./backup-history.js";
import {
  type ArchiveTrustFlags,
  type BackupLocationFlags,
  checkingManagerFor,
  type ManifestSigningFlags,
  managerFor,
  parseCount,
  print,
  printable,
  progressBar,
  readKeyFile,
  signingManagerFor,
  withArchiveTrustOptions,
  withKeyOption,
  withLocationOptions,
  withManifestSigningOptions,
} from "./backup-support.js";
import { warnDeprecated } from "./shared-flags.js";
import { formatTable } from "./signing-io.js";

type KeyFlags = BackupLocationFlags & { keyFile?: string };

/**
 * The human-readable restore report: a summary line, then (on a dry run) every path that
 * would change (`+` added, `~` changed, `-` removed; control characters escaped, since the
 * paths come from a backup), the trust files the backup differs on, and the snapshot of
 * what was replaced.
 */
function restoreSummary(result: RestoreResult): string {
  const verb = result.dryRun ? "Would restore" : "Restored";
  const lines = [
    `${verb} ${printable(result.from)} into ${result.target}: ${result.files} files (${result.added.length} added, ${result.changed.length} changed, ${result.removed.length} removed)`,
  ];
  // A dry run is for reading before deciding: every path. A real restore keeps cron logs short.
  if (result.dryRun) {
    lines.push(
      ...result.added.map((path) => `  + ${printable(path)}`),
      ...result.changed.map((path) => `  ~ ${printable(path)}`),
      ...result.removed.map((path) => `  - ${printable(path)}`),
    );
  }
  if (result.trustFiles.length > 0) {
    lines.push(
      `Trust files the backup differs on (refused unless --trust-files keep|replace): ${result.trustFiles.map(printable).join(", ")}`,
    );
  }
  if (result.preRestoreCommit) {
    lines.push(`Pre-restore snapshot of ${result.target}: ${result.preRestoreCommit} (restore it to undo)`);
  }
  return lines.join("\n");
}

/**
 * `nextgen backup snapshot | archive | list | verify | restore | prune | rollback | history | diff`:
 * the operations of `@nextgen/backup` for cron jobs and operators. Locations come from
 * flags or `NEXTGEN_BACKUP_SOURCE`, `NEXTGEN_BACKUP_REPOSITORY`, `NEXTGEN_BACKUP_ARCHIVES`.
 */
export function registerBackup(program: Command): void {
  const backup = program
    .command("backup")
    .description("Snapshot templates to git, write verified archives, restore, roll back and prune.")
    .addHelpText(
      "after",
      "\nEvery subcommand takes --source, --repository and --archives (or NEXTGEN_BACKUP_* variables).\nSee docs/backup.md for the runbook.",
    );

  withLocationOptions(backup.command("snapshot"))
    .description("Commit the templates directory to the backup repository (only when something changed).")
    .option("-m, --message <text>", "commit message", "Scheduled snapshot")
    .addHelpText(
      "after",
      '\nExample:\n  nextgen backup snapshot --repository /var/backups/nextgen/repo --archives /var/backups/nextgen/archives -m "nightly"',
    )
    .action(async (flags: BackupLocationFlags & { message: string }) => {
      const result = await managerFor(flags).snapshot({ message: flags.message });
      print(flags.json, result, () =>
        result.changed
          ? `Committed ${result.commit} (${result.files} files)`
          : `No changes (head ${result.commit ?? "none"})`,
      );
    });

  withManifestSigningOptions(withKeyOption(withLocationOptions(backup.command("archive"))))
    .description("Write a reproducible .tar.gz (optionally AES-256-GCM encrypted) and its manifest.")
    .addOption(
      new Option("--tier <tier>", "retention tier")
        .choices(["critical", "production", "development", "temporary"])
        .default("production"),
    )
    .option("--kid <id>", "key id of --key-file, recorded in the manifest (as sign's --kid names its key)")
    .addOption(new Option("--key-id <id>", "deprecated spelling of --kid").hideHelp())
    .addHelpText(
      "after",
      "\nExample:\n  nextgen backup archive --tier critical --key-file /etc/nextgen/backup.key --kid backup-2026",
    )
    .action(async (flags: KeyFlags & ManifestSigningFlags & { tier: TemplateTier; kid?: string; keyId?: string }) => {
      if (flags.keyId !== undefined) warnDeprecated("--key-id", "--kid");
      const kid = flags.kid ?? flags.keyId;
      if (kid !== undefined && flags.keyFile === undefined) {
        // Otherwise the archive would be written unencrypted while the operator believes it is not.
        throw new OptionsError("--kid", "names the key of --key-file; give --key-file too (or drop --kid).");
      }
      const progress = progressBar(flags.json !== true);
      const encryptionKey = await readKeyFile(flags.keyFile);
      try {
        const manifest = await (await signingManagerFor(flags)).archive({
          tier: flags.tier,
          ...(encryptionKey === undefined ? {} : { encryptionKey, keyId: kid ?? "default" }),
          ...(progress.listener ? { onProgress: progress.listener } : {}),
        });
        progress.stop();
        print(flags.json, manifest, () =>
          [
            `Archived ${manifest.files.length} files (${manifest.templates.length} templates) as ${manifest.id}`,
            `  file    ${manifest.archive.file} (${manifest.archive.size} bytes)`,
            `  sha256  ${manifest.archive.sha256}`,
            `  expires ${manifest.retention.expires}`,
          ].join("\n"),
        );
      } finally {
        progress.stop();
      }
    });

  withLocationOptions(backup.command("list"))
    .description("List archives from their manifests, newest first.")
    .addHelpText(
      "after",
      "\nExample:\n  NEXTGEN_BACKUP_REPOSITORY=/var/backups/nextgen/repo NEXTGEN_BACKUP_ARCHIVES=/var/backups/nextgen/archives nextgen backup list",
    )
    .action(async (flags: BackupLocationFlags) => {
      const manifests = await managerFor(flags).list();
      print(flags.json, manifests, () =>
        formatTable(
          ["ID", "CREATED", "TIER", "FILES", "BYTES", "ENCRYPTED", "EXPIRES"],
          manifests.map((manifest) => [
            manifest.id,
            manifest.created,
            manifest.tier,
            String(manifest.files.length),
            String(manifest.archive.size),
            manifest.archive.encryption ? manifest.archive.encryption.keyId : "no",
            manifest.retention.expires,
          ]),
        ).trimEnd(),
      );
    });

  withArchiveTrustOptions(withKeyOption(withLocationOptions(backup.command("verify"))))
    .description("Recompute every checksum of an archive (and the GCM tag), and run git fsck --strict.")
    .argument("<id>", "archive id")
    .option("--skip-fsck", "do not run git fsck --strict on the repository")
    .addHelpText(
      "after",
      "\nExample:\n  nextgen backup verify 20260115T020000000Z-production-1a2b3c4d --key-file /etc/nextgen/backup.key\n\nExits 1 with NG_ERR_BACKUP_CHECKSUM when any byte of the archive, a file or the repository differs.",
    )
    .action(async (id: string, flags: KeyFlags & ArchiveTrustFlags & { skipFsck?: boolean }) => {
      const progress = progressBar(flags.json !== true);
      const encryptionKey = await readKeyFile(flags.keyFile);
      try {
        const report = await (await checkingManagerFor(flags)).verify(id, {
          repository: flags.skipFsck !== true,
          ...(encryptionKey ? { encryptionKey } : {}),
          ...(progress.listener ? { onProgress: progress.listener } : {}),
        });
        progress.stop();
        print(
          flags.json,
          report,
          () =>
            `OK ${id}: ${report.files} files match${report.decrypted ? ", GCM tag valid" : ""}${report.signedBy.length > 0 ? `, manifest signed by ${report.signedBy.join(", ")}` : ""}${report.repositoryChecked ? ", git fsck --strict passed" : ""}`,
        );
      } finally {
        progress.stop();
      }
    });

  withArchiveTrustOptions(withKeyOption(withLocationOptions(backup.command("restore"))))
    .description("Replace a directory by an archive or a snapshot commit, atomically (old or new, never mixed).")
    .argument("<from>", "archive id or git commit")
    .option("--target <dir>", "directory to restore into (default: --source)")
    .option("--dry-run", "list the paths that would change, without changing anything")
    .addOption(
      new Option(
        "--trust-files <mode>",
        "when the backup differs on trust.json or *.state.json: refuse, keep the current ones, or replace them",
      )
        .choices(["refuse", "keep", "replace"])
        .default("refuse"),
    )
    .addHelpText("after", "\nExample:\n  nextgen backup restore 20260115T020000000Z-production-1a2b3c4d --dry-run")
    .action(
      async (
        from: string,
        flags: KeyFlags & ArchiveTrustFlags & { target?: string; dryRun?: boolean; trustFiles: TrustFilesMode },
      ) => {
        const progress = progressBar(flags.json !== true);
        const encryptionKey = await readKeyFile(flags.keyFile);
        try {
          const result = await (await checkingManagerFor(flags)).restore(from, {
            ...(flags.target ? { target: flags.target } : {}),
            trustFiles: flags.trustFiles,
            dryRun: flags.dryRun === true,
            ...(encryptionKey ? { encryptionKey } : {}),
            ...(progress.listener ? { onProgress: progress.listener } : {}),
          });
          progress.stop();
          print(flags.json, result, () => restoreSummary(result));
        } finally {
          progress.stop();
        }
      },
    );

  withKeyOption(withLocationOptions(backup.command("prune")))
    .description("Remove archives the retention policy does not keep (restic forget semantics + tier maximum age).")
    .option("--keep-last <n>", "keep the n newest archives", parseCount)
    .option("--keep-hourly <n>", "keep the newest archive of each of the last n hours", parseCount)
    .option("--keep-daily <n>", "keep the newest archive of each of the last n days", parseCount)
    .option("--keep-weekly <n>", "keep the newest archive of each of the last n ISO weeks", parseCount)
    .option("--keep-monthly <n>", "keep the newest archive of each of the last n months", parseCount)
    .option("--keep-yearly <n>", "keep the newest archive of each of the last n years", parseCount)
    .option("--keep-within <duration>", 'keep all archives within this duration of the newest (e.g. "1y2m3d4h")')
    .option("--time-zone <zone>", "IANA time zone of the calendar buckets", "UTC")
    .option("--dry-run", "show the plan without removing anything")
    .addHelpText(
      "after",
      "\nExample:\n  nextgen backup prune --keep-daily 7 --keep-weekly 5 --keep-monthly 12 --dry-run",
    )
    .action(async (flags: KeyFlags & RetentionPolicy & { dryRun?: boolean }) => {
      const policy: RetentionPolicy = {
        ...(flags.keepLast !== undefined ? { keepLast: flags.keepLast } : {}),
        ...(flags.keepHourly !== undefined ? { keepHourly: flags.keepHourly } : {}),
        ...(flags.keepDaily !== undefined ? { keepDaily: flags.keepDaily } : {}),
        ...(flags.keepWeekly !== undefined ? { keepWeekly: flags.keepWeekly } : {}),
        ...(flags.keepMonthly !== undefined ? { keepMonthly: flags.keepMonthly } : {}),
        ...(flags.keepYearly !== undefined ? { keepYearly: flags.keepYearly } : {}),
        ...(flags.keepWithin !== undefined ? { keepWithin: flags.keepWithin } : {}),
        ...(flags.timeZone !== undefined ? { timeZone: flags.timeZone } : {}),
      };
      const encryptionKey = await readKeyFile(flags.keyFile);
      const result = await managerFor(flags).prune({
        policy,
        dryRun: flags.dryRun === true,
        ...(encryptionKey ? { encryptionKey } : {}),
      });
      print(flags.json, result, () => {
        const rows = [
          ...result.plan.keep.map((decision) => ["keep", decision.id, decision.reasons.join(", ")]),
          ...result.plan.remove.map((decision) => [
            result.dryRun ? "would remove" : "removed",
            decision.id,
            decision.reasons.join(", "),
          ]),
        ];
        return formatTable(["ACTION", "ID", "REASONS"], rows).trimEnd();
      });
    });

  withLocationOptions(backup.command("rollback"))
    .description("Put one template back as it was at a snapshot (commit or template version), atomically.")
    .argument("<template-id>", "template id, e.g. security/auditor")
    .argument("<version>", "template version (e.g. 1.2.0) or snapshot commit")
    .option("--dry-run", "show what would change")
    .addHelpText("after", "\nExample:\n  nextgen backup rollback security/auditor 1.2.0")
    .action(async (templateId: string, version: string, flags: BackupLocationFlags & { dryRun?: boolean }) => {
      const result = await managerFor(flags).rollback(templateId, version, { dryRun: flags.dryRun === true });
      print(
        flags.json,
        result,
        () =>
          `${restoreSummary(result)}\n${result.dryRun ? "Would roll" : "Rolled"} ${templateId} back to ${result.version ?? result.commit} (commit ${result.commit})`,
      );
    });

  registerBackupHistory(backup);
}
