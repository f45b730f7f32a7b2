import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterEach, describe, expect, it, vi } from "vitest";
import type { QuickstartContext } from "../context.js";
import { backupStep } from "./backup.js";

const samplesDir = fileURLToPath(new URL("../../../templates/", import.meta.url));
let workDir: string | undefined;
afterEach(async () => {
  vi.restoreAllMocks();
  if (workDir !== undefined) await rm(workDir, { recursive: true, force: true });
});

describe("quickstart backup step", () => {
  it("snapshots, archives and verifies the sample templates, then prints the manifest summary", async () => {
    workDir = await mkdtemp(join(tmpdir(), "nextgen-quickstart-backup-"));
    const context: QuickstartContext = { samplesDir, workDir, shared: new Map(), heading: () => {} };
    const lines: string[] = [];
    vi.spyOn(console, "log").mockImplementation((...args: unknown[]) => {
      lines.push(args.join(" "));
    });
    await backupStep(context);
    const output = lines.join("\n");
    expect(output).toMatch(/^snapshot\s+[0-9a-f]{40} \(\d+ files\)$/m);
    expect(output).toContain("no changes, no commit");
    expect(output).toMatch(/^verified\s+\d+ files, GCM tag valid, git fsck --strict passed$/m);
    expect(output).toMatch(/^ {2}security\/auditor\s+\d+\.\d+\.\d+\s+sha256:/m);
  });
});
