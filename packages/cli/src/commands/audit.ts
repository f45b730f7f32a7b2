import { verifyAuditLog } from "@nextgen/core";
import type { Command } from "commander";

interface AuditVerifyFlags {
  json?: boolean;
}

/**
 * `nextgen audit verify <file…>`: checks hash-chained audit logs written by
 * `fileAuditLog` (rotated files oldest first, the live file last: one chain). Exit code 0
 * when every record is intact and chained; 1 with one line naming the first broken record
 * (`file:line`, its `seq`, why).
 */
export function registerAudit(program: Command): void {
  const audit = program.command("audit").description("Work with hash-chained audit logs.");
  audit
    .command("verify")
    .description("Check that audit logs are intact (no record edited, deleted or reordered); exit code 0 only if so.")
    .argument("<files...>", "audit log files, oldest first (audit.log.1 audit.log.2 audit.log)")
    .option("--json", "print the result as JSON")
    .addHelpText("after", "\nExample:\n  nextgen audit verify /var/log/nextgen/audit.log.1 /var/log/nextgen/audit.log")
    .action(async (files: string[], flags: AuditVerifyFlags) => {
      const result = await verifyAuditLog(files);
      if (flags.json) process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
      if (result.ok) {
        if (!flags.json) {
          const range = result.records === 0 ? "" : ` (seq ${result.firstSeq}–${result.lastSeq})`;
          process.stdout.write(`ok: ${result.records} records intact${range}; head ${result.head ?? "none"}\n`);
        }
        return;
      }
      const { file, line, seq, reason } = result.broken;
      const which = seq === null ? "" : ` (seq ${seq})`;
      process.stderr.write(
        `nextgen: NG_ERR_AUDIT_LOG_INVALID: ${file}:${line}${which}: ${reason}; ${result.records} records before it are intact\n`,
      );
      process.exitCode = 1;
    });
}
