import { readFile, rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { diskState } from "../__fixtures__/refusal.js";
import { createWorkspace, type TestWorkspace, writeFiles } from "../__fixtures__/workspace.js";
import { createBackupManager } from "../backup-manager.js";
import { BackupError } from "../errors/backup-error.js";

let workspace: TestWorkspace;
let journalPath: string;
beforeEach(async () => {
  workspace = await createWorkspace();
  journalPath = join(workspace.repository, "nextgen-restore-journal.json");
  await createBackupManager(workspace).snapshot({ message: "first" });
  await writeFiles(join(workspace.root, "victim"), { "data.txt": "keep me\n" });
  await writeFiles(join(workspace.root, "important"), { "secret.txt": "do not move\n" });
});
afterEach(() => workspace.dispose());

async function expectRefused(journal: unknown, why: RegExp): Promise<void> {
  await writeFile(journalPath, typeof journal === "string" ? journal : JSON.stringify(journal));
  const before = await diskState(workspace.root);
  const error = await createBackupManager(workspace)
    .snapshot({ message: "routine" })
    .then(
      () => undefined,
      (caught: unknown) => caught,
    );
  expect(error).toBeInstanceOf(BackupError);
  expect([(error as BackupError).code, (error as BackupError).reason]).toEqual([
    "NG_ERR_BACKUP_JOURNAL",
    "journal-untrusted",
  ]);
  expect((error as Error).message).toMatch(why);
  // Nothing deleted, renamed or committed; the journal itself is left for a person to inspect.
  expect(await diskState(workspace.root)).toEqual(before);
}

describe("a planted restore journal", () => {
  const sibling = (name: string, kind: "staging" | "previous", suffix = "0123456789ab"): string =>
    join(workspace.root, `.${name}.nextgen-${kind}-${suffix}`);

  it("naming an unrelated directory as target: refused, nothing deleted or renamed", async () => {
    const victim = join(workspace.root, "victim");
    await expectRefused(
      {
        target: victim,
        staging: sibling("victim", "staging"),
        previous: sibling("victim", "previous"),
        phase: "staging",
      },
      /neither the source nor a restore target/,
    );
  });

  it("naming the source but arbitrary staging or previous paths: refused", async () => {
    const important = join(workspace.root, "important");
    await expectRefused(
      { target: workspace.source, staging: important, previous: sibling("templates", "previous"), phase: "staging" },
      /sibling names/,
    );
    // The rename attack: the source is missing, "previous" is the attacker's directory.
    await rm(workspace.source, { recursive: true });
    await expectRefused(
      { target: workspace.source, staging: sibling("templates", "staging"), previous: important, phase: "swapping" },
      /sibling names/,
    );
    await expectRefused(
      {
        target: workspace.source,
        staging: sibling("templates", "staging"),
        previous: sibling("templates", "previous", "ba9876543210"),
        phase: "swapping",
      },
      /sibling names/,
    );
  });

  it("that is not JSON, not an object, relative or of an unknown phase: refused", async () => {
    await expectRefused("{", /not JSON/);
    await expectRefused([], /not an object/);
    await expectRefused({ target: "templates", phase: "staging" }, /absolute/);
    await expectRefused({ target: workspace.source, phase: "done" }, /phase/);
  });

  it("for a restore target given to this manager is recovered (recover({ target })), as is one for the source", async () => {
    const victim = join(workspace.root, "victim");
    await writeFiles(sibling("victim", "staging"), { "data.txt": "half written" });
    const journal = {
      target: victim,
      staging: sibling("victim", "staging"),
      previous: sibling("victim", "previous"),
      phase: "staging",
    };
    await writeFile(journalPath, JSON.stringify(journal));
    expect(await createBackupManager(workspace).recover({ target: victim })).toBe(victim);
    expect(await readFile(join(victim, "data.txt"), "utf8")).toBe("keep me\n");
    await expect(readFile(journalPath)).rejects.toMatchObject({ code: "ENOENT" });
    await expect(readFile(join(sibling("victim", "staging"), "data.txt"))).rejects.toMatchObject({ code: "ENOENT" });

    await writeFiles(sibling("templates", "staging"), { "x.json": "{}" });
    await writeFile(
      journalPath,
      JSON.stringify({
        ...journal,
        target: workspace.source,
        staging: sibling("templates", "staging"),
        previous: sibling("templates", "previous"),
      }),
    );
    expect(await createBackupManager(workspace).recover()).toBe(workspace.source);
  });
});
