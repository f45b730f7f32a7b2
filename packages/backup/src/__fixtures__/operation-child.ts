// Run in a child process by tests that need what the test process cannot provide itself
// (dropped capabilities, its own process group): one backup operation, its outcome as JSON.
import { NextGenError } from "@nextgen/core";
import { createBackupManager } from "../backup-manager.js";
import { BackupError } from "../errors/backup-error.js";

interface ChildRequest {
  readonly source: string;
  readonly repository: string;
  readonly archives: string;
  readonly operation: "archive" | "verify" | "restore" | "snapshot" | "list";
  readonly id?: string;
  readonly target?: string;
}

const request = JSON.parse(process.argv[2] ?? "{}") as ChildRequest;
const backups = createBackupManager(request);
try {
  const result =
    request.operation === "archive"
      ? await backups.archive({ tier: "production" })
      : request.operation === "verify"
        ? await backups.verify(request.id ?? "", { repository: false })
        : request.operation === "restore"
          ? await backups.restore(request.id ?? "", request.target === undefined ? {} : { target: request.target })
          : request.operation === "list"
            ? await backups.list()
            : await backups.snapshot({ message: "child" });
  process.stdout.write(`${JSON.stringify({ ok: true, result })}\n`);
} catch (error) {
  process.stdout.write(
    `${JSON.stringify({
      ok: false,
      coded: NextGenError.is(error),
      code: (error as { code?: string }).code,
      reason: error instanceof BackupError ? error.reason : undefined,
      path: error instanceof BackupError ? error.path : undefined,
      message: (error as Error).message,
    })}\n`,
  );
}
