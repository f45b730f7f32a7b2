// Run in a child process by restore-crash.test.ts: restores one archive, to be killed midway.
// It prints "ready" before the restore starts and "staged" once every file is written to staging.
import { createBackupManager } from "../backup-manager.js";

const [source, repository, archives, id, target] = process.argv.slice(2) as [string, string, string, string, string];
const backups = createBackupManager({ source, repository, archives });
process.stdout.write("ready\n");
await backups.restore(id, {
  target,
  onProgress: (progress) => {
    if (progress.phase === "write" && progress.done === progress.total) process.stdout.write("staged\n");
  },
});
process.stdout.write("done\n");
