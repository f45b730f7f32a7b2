import { type ChildProcess, spawn } from "node:child_process";
import { cp, readdir, rm, stat } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildChild } from "../__fixtures__/build-child.js";
import { createWorkspace, type TestWorkspace, writeFiles } from "../__fixtures__/workspace.js";
import { createBackupManager } from "../backup-manager.js";
import { readTreeFiles } from "./tree-files.js";

const ITERATIONS = 30;
const FILES = 40;

let workspace: TestWorkspace;
let childScript: string;
let oldTree: string;
let archiveId: string;

async function fingerprint(root: string): Promise<string> {
  const files = await readTreeFiles(root);
  return files.map((file) => `${file.path}=${Buffer.from(file.data).toString("hex")}`).join("\n");
}

beforeAll(async () => {
  workspace = await createWorkspace();
  // The child runs the TypeScript sources: bundle them (with core) into one ESM file.
  childScript = await buildChild(workspace.root, "restore-child");
  // Old tree: FILES files with "old" contents; new tree (archived): same paths, other contents, plus extra files.
  oldTree = join(workspace.root, "old-tree");
  const oldFiles: Record<string, string> = {};
  const newFiles: Record<string, string> = {};
  for (let index = 0; index < FILES; index++) {
    oldFiles[`ns${index % 10}/t${index}.json`] = `{"old":${index}}\n`;
    newFiles[`ns${index % 10}/t${index}.json`] = `{"new":${index}}\n`;
    newFiles[`extra/n${index}.json`] = `{"extra":${index}}\n`;
  }
  await writeFiles(oldTree, oldFiles);
  await rm(workspace.source, { recursive: true });
  await writeFiles(workspace.source, newFiles);
  archiveId = (await createBackupManager(workspace).archive({ tier: "production" })).id;
}, 60_000);

afterAll(() => workspace.dispose());

interface ChildRun {
  readonly child: ChildProcess;
  /** Resolves when the child prints `line`; rejects if it exits first. */
  waitFor(line: "ready" | "staged" | "done"): Promise<void>;
  readonly exited: Promise<number | null>;
}

function runChild(target: string): ChildRun {
  const child = spawn(
    process.execPath,
    [childScript, workspace.source, workspace.repository, workspace.archives, archiveId, target],
    {
      stdio: ["ignore", "pipe", "inherit"],
    },
  );
  let output = "";
  const listeners = new Set<() => void>();
  child.stdout?.on("data", (chunk: Buffer) => {
    output += chunk.toString();
    for (const listener of listeners) listener();
  });
  const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
  const waitFor = (line: string): Promise<void> =>
    new Promise<void>((resolve, reject) => {
      const check = (): void => {
        if (output.includes(`${line}\n`)) resolve();
      };
      listeners.add(check);
      check();
      exited.then(() => reject(new Error(`child exited before printing ${line}`)));
    });
  return { child, waitFor, exited };
}

describe("restore under SIGKILL", () => {
  it(`never leaves a mixed target: ${ITERATIONS} restores killed at random points`, async () => {
    const target = join(workspace.root, "target");
    const expectedOld = await fingerprint(oldTree);
    const expectedNew = await fingerprint(workspace.source);

    // Calibrate: how long a whole restore takes here, and how long after staging, so that
    // kills spread over all of it and half of them land in the verify/snapshot/swap tail.
    await cp(oldTree, target, { recursive: true });
    const calibration = runChild(target);
    await calibration.waitFor("ready");
    const started = performance.now();
    await calibration.waitFor("staged");
    const stagedAt = performance.now();
    expect(await calibration.exited).toBe(0);
    const durationMs = Math.max(5, performance.now() - started);
    const tailMs = Math.max(2, performance.now() - stagedAt);
    expect(await fingerprint(target)).toBe(expectedNew);

    const outcomes = { old: 0, new: 0, missingBeforeRecovery: 0 };
    for (let iteration = 0; iteration < ITERATIONS; iteration++) {
      await rm(target, { recursive: true, force: true });
      await cp(oldTree, target, { recursive: true });
      const run = runChild(target);
      const inTail = iteration % 2 === 1;
      try {
        await run.waitFor(inTail ? "staged" : "ready");
        await new Promise((resolve) => setTimeout(resolve, Math.random() * (inTail ? tailMs : durationMs) * 1.1));
      } catch {
        // The child finished before the kill: a valid (new) outcome.
      }
      run.child.kill("SIGKILL");
      await run.exited;

      // Killed between the swap's two renames, the target is briefly absent (recovery puts it
      // back). readTreeFiles reads a missing directory as empty, so look for it first.
      const present = await stat(target).then(
        () => true,
        () => false,
      );
      const before = present ? await fingerprint(target) : undefined;
      if (before === undefined) outcomes.missingBeforeRecovery++;
      else expect([expectedOld, expectedNew]).toContain(before);

      // The next run (any operation) completes or undoes the interrupted swap and takes over the dead lock.
      await createBackupManager(workspace).recover({ target });
      const after = await fingerprint(target);
      expect([expectedOld, expectedNew]).toContain(after);
      if (after === expectedOld) outcomes.old++;
      else outcomes.new++;
      const leftovers = (await readdir(workspace.root)).filter((name) => name.includes(".nextgen-"));
      expect(leftovers).toEqual([]);
    }
    expect(outcomes.old + outcomes.new).toBe(ITERATIONS);
    console.info(
      `restore crash outcomes: ${JSON.stringify(outcomes)} (restore ≈ ${durationMs.toFixed(0)} ms, ${tailMs.toFixed(0)} ms after staging)`,
    );
  }, 60_000);
});
