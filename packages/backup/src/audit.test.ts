import diagnosticsChannel from "node:diagnostics_channel";
import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { AUDIT_CHANNEL, type AuditEvent } from "@nextgen/core";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createWorkspace, fakeClock, type TestWorkspace } from "./__fixtures__/workspace.js";
import { createBackupManager } from "./backup-manager.js";

let workspace: TestWorkspace;
let events: AuditEvent[];
const listener = (message: unknown): void => {
  events.push(message as AuditEvent);
};
beforeEach(async () => {
  workspace = await createWorkspace();
  events = [];
  diagnosticsChannel.subscribe(AUDIT_CHANNEL, listener);
});
afterEach(async () => {
  diagnosticsChannel.unsubscribe(AUDIT_CHANNEL, listener);
  await workspace.dispose();
});

describe("audit events", () => {
  it("publishes snapshot, archive, verify, restore and refusals on nextgen:audit", async () => {
    const clock = fakeClock();
    const backups = createBackupManager({ ...workspace, clock });
    const manifest = await backups.archive({ tier: "production" });
    await backups.verify(manifest.id);
    await backups.restore(manifest.id, { target: join(workspace.root, "restored") });
    await writeFile(join(workspace.archives, manifest.archive.file), "tampered");
    await expect(backups.verify(manifest.id)).rejects.toThrow();
    const mine = events.filter((event) => event.type.startsWith("backup."));
    expect(mine.map((event) => [event.type, event.verdict, event.reason])).toEqual([
      ["backup.archive", "applied", undefined],
      ["backup.verify", "accepted", undefined],
      ["backup.restore", "applied", undefined],
      ["backup.verify", "refused", "NG_ERR_BACKUP_CHECKSUM"],
    ]);
    expect(mine[0]?.time).toBe(clock.now());
    expect(mine[0]?.detail).toMatchObject({ id: manifest.id, tier: "production", files: 4 });
  });
});
