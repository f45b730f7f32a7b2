import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";

/** A temporary source, repository and archives directory, removed by `dispose`. */
export interface TestWorkspace {
  readonly root: string;
  readonly source: string;
  readonly repository: string;
  readonly archives: string;
  dispose(): Promise<void>;
}

/** A schemaVersion 1 template as text. */
export function templateText(id: string, version: string, extra: Record<string, unknown> = {}): string {
  return `${JSON.stringify({ schemaVersion: 1, id, version, name: id, role: "specialist", ...extra }, null, 2)}\n`;
}

/** Writes `files` (relative path → contents) below `root`. */
export async function writeFiles(root: string, files: Record<string, string | Uint8Array>): Promise<void> {
  for (const [path, data] of Object.entries(files)) {
    await mkdir(dirname(join(root, path)), { recursive: true });
    await writeFile(join(root, path), data);
  }
}

/** Creates a workspace whose source holds a few templates. */
export async function createWorkspace(): Promise<TestWorkspace> {
  const root = await mkdtemp(join(tmpdir(), "nextgen-backup-test-"));
  const workspace = {
    root,
    source: join(root, "templates"),
    repository: join(root, "repo"),
    archives: join(root, "archives"),
    dispose: () => rm(root, { recursive: true, force: true }),
  };
  await writeFiles(workspace.source, {
    "security/auditor.json": templateText("security/auditor", "1.0.0"),
    "base/specialist.json": templateText("base/specialist", "2.1.0"),
    "ops/deployer.json": templateText("ops/deployer", "0.3.0", { description: "Ships things." }),
    "README.txt": "not a template\n",
  });
  return workspace;
}

/** A clock the test moves by hand. */
export function fakeClock(startMs: number = Date.UTC(2026, 0, 15, 12)): { now(): number; advance(ms: number): void } {
  let current = startMs;
  return { now: () => current, advance: (ms) => (current += ms) };
}
