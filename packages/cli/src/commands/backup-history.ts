import type { Command } from "commander";
import { type BackupLocationFlags, managerFor, print, withLocationOptions } from "./backup-support.js";
import { formatTable } from "./signing-io.js";

/**
 * `nextgen backup history <template-id>` and `nextgen backup diff <from> <to>`: read-only
 * views of the snapshot repository, to find the version to roll back to and see what it changes.
 */
export function registerBackupHistory(backup: Command): void {
  withLocationOptions(backup.command("history"))
    .description("Show every snapshot that changed a template, newest first.")
    .argument("<template-id>", "template id, e.g. security/auditor")
    .addHelpText("after", "\nExample:\n  nextgen backup history security/auditor")
    .action(async (templateId: string, flags: BackupLocationFlags) => {
      const history = await managerFor(flags).history(templateId);
      print(flags.json, history, () =>
        formatTable(
          ["COMMIT", "DATE", "VERSION", "MESSAGE"],
          history.map((entry) => [
            entry.commit.slice(0, 12),
            entry.date,
            entry.path === undefined ? "(deleted)" : (entry.version ?? "?"),
            entry.message.split("\n")[0] ?? "",
          ]),
        ).trimEnd(),
      );
    });

  withLocationOptions(backup.command("diff"))
    .description("Show what changed between two snapshots (paths with their template ids, then the patch).")
    .argument("<from>", "older snapshot commit")
    .argument("<to>", "newer snapshot commit")
    .addHelpText("after", "\nExample:\n  nextgen backup diff 1a2b3c4d 5e6f7a8b")
    .action(async (from: string, to: string, flags: BackupLocationFlags) => {
      const diff = await managerFor(flags).diff(from, to);
      print(flags.json, diff, () => {
        const summary = diff.changes.map(
          (change) => `${change.status.padEnd(8)} ${change.path}${change.templateId ? ` (${change.templateId})` : ""}`,
        );
        const header = `${diff.from.slice(0, 12)}..${diff.to.slice(0, 12)}: ${diff.changes.length} changed`;
        return [header, ...summary, "", diff.patch].join("\n").trimEnd();
      });
    });
}
