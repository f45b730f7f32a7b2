import { channel } from "node:diagnostics_channel";
import { userInfo } from "node:os";
import { AUDIT_CHANNEL, type AuditEvent, fileStateStore, NextGenError } from "@nextgen/core";
import type { Command } from "commander";
import { writeErr, writeOut } from "../terminal-text.js";

/**
 * `nextgen trust reset-mark <id> --state <file> --force`: forgets one id's rollback
 * high-water mark, the deliberate way out when a withdrawn version (a pre-release) holds
 * it above the line that should be served. Refused without `--force`; announced on stderr
 * and on the `nextgen:audit` channel with the mark it removed.
 * @internal
 */
export function registerResetMark(trust: Command): void {
  trust
    .command("reset-mark")
    .description("Forget one template id's rollback mark in a state file, so its next accepted version sets it again.")
    .argument("<id>", "template id whose mark to remove")
    .requiredOption("--state <file>", "rollback state file (trust.state.json)")
    .option("--force", "confirm: this re-opens rollback to any version of <id> until one is accepted again")
    .option("--json", "print the result as JSON")
    .addHelpText("after", "\nExample:\n  nextgen trust reset-mark security/auditor --state trust.state.json --force")
    .action(async (id: string, flags: { state: string; force?: boolean; json?: boolean }) => {
      const store = fileStateStore(flags.state);
      const previous = await store.get(id);
      if (previous === undefined)
        throw new NextGenError("NG_ERR_TRUST_STATE", `${flags.state} holds no rollback mark for ${id}`);
      if (flags.force !== true)
        throw new NextGenError(
          "NG_ERR_TRUST_STATE",
          `refusing to reset the rollback mark of ${id} (${previous.version}, ${previous.digest}) without --force: any version of ${id} would be accepted next`,
        );
      await store.delete?.(id);
      const event: AuditEvent = {
        type: "trust.reset-mark",
        time: Date.now(),
        templateId: id,
        version: previous.version,
        digest: previous.digest,
        verdict: "applied",
        reason: "operator reset",
        detail: { state: flags.state, actor: actorName() },
      };
      const audit = channel(AUDIT_CHANNEL);
      if (audit.hasSubscribers) audit.publish(event);
      writeErr(
        `nextgen: audit: reset the rollback mark of ${id} (was ${previous.version}, ${previous.digest}) in ${flags.state} by ${actorName()} at ${new Date(event.time).toISOString()}\n`,
      );
      if (flags.json) writeOut(`${JSON.stringify({ id, removed: previous, state: flags.state }, null, 2)}\n`);
      else writeOut(`reset the rollback mark of ${id} in ${flags.state}\n`);
    });
}

function actorName(): string {
  try {
    return userInfo().username;
  } catch {
    return String(process.getuid?.() ?? "unknown");
  }
}
