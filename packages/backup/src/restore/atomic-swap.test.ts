import { mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { writeFiles } from "../__fixtures__/workspace.js";
import { recoverSwap, swapDirectory } from "./atomic-swap.js";

let root: string;
let target: string;
let staging: string;
let previous: string;
let journal: string;

beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), "nextgen-swap-test-"));
  target = join(root, "target");
  staging = join(root, ".target.nextgen-staging-0123456789ab");
  previous = join(root, ".target.nextgen-previous-0123456789ab");
  journal = join(root, "journal.json");
});
afterEach(() => rm(root, { recursive: true, force: true }));

async function writeJournal(phase: "staging" | "swapping"): Promise<void> {
  await writeFile(journal, JSON.stringify({ target, staging, previous, phase }));
}

const isTarget = (candidate: string): boolean => candidate === target;
const content = (dir: string): Promise<string> => readFile(join(dir, "a.json"), "utf8");
const entries = async (): Promise<string[]> => (await readdir(root)).sort();

// Each case is the state a crash leaves between two steps of swapDirectory.
describe("recoverSwap", () => {
  it("crash while staging: keeps the old target and drops the partial staging tree", async () => {
    await writeFiles(target, { "a.json": "old" });
    await writeFiles(staging, { "a.json": "ne" });
    await writeJournal("staging");
    expect(await recoverSwap(journal, isTarget)).toBe(target);
    expect(await content(target)).toBe("old");
    expect(await entries()).toEqual(["target"]);
  });

  it("crash after the staged tree was verified but before the first rename: keeps the old target", async () => {
    await writeFiles(target, { "a.json": "old" });
    await writeFiles(staging, { "a.json": "new" });
    await writeJournal("swapping");
    await recoverSwap(journal, isTarget);
    expect(await content(target)).toBe("old");
    expect(await entries()).toEqual(["target"]);
  });

  it("crash between the two renames (target missing): rolls forward to the verified new tree", async () => {
    await writeFiles(previous, { "a.json": "old" });
    await writeFiles(staging, { "a.json": "new" });
    await writeJournal("swapping");
    await recoverSwap(journal, isTarget);
    expect(await content(target)).toBe("new");
    expect(await entries()).toEqual(["target"]);
  });

  it("crash after the second rename: keeps the new target and removes the old tree", async () => {
    await writeFiles(previous, { "a.json": "old" });
    await writeFiles(target, { "a.json": "new" });
    await writeJournal("swapping");
    await recoverSwap(journal, isTarget);
    expect(await content(target)).toBe("new");
    expect(await entries()).toEqual(["target"]);
  });

  it("target missing with an unverified staging tree: moves the old tree back", async () => {
    await writeFiles(previous, { "a.json": "old" });
    await writeFiles(staging, { "a.json": "ne" });
    await writeJournal("staging");
    await recoverSwap(journal, isTarget);
    expect(await content(target)).toBe("old");
  });

  it("does nothing without a journal", async () => {
    expect(await recoverSwap(journal, isTarget)).toBeUndefined();
  });
});

describe("swapDirectory", () => {
  it("leaves the target untouched and cleans up when verification fails", async () => {
    await writeFiles(target, { "a.json": "old" });
    const failing = swapDirectory(target, journal, {
      stage: (dir) => writeFiles(dir, { "a.json": "new" }),
      verify: async () => {
        throw new Error("checksum mismatch");
      },
      beforeSwap: async () => {},
    });
    await expect(failing).rejects.toThrow("checksum mismatch");
    expect(await content(target)).toBe("old");
    expect(await entries()).toEqual(["target"]);
  });

  it("creates a target that did not exist", async () => {
    await swapDirectory(target, journal, {
      stage: (dir) => writeFiles(dir, { "a.json": "new" }),
      verify: async () => {},
      beforeSwap: async () => {},
    });
    expect(await content(target)).toBe("new");
    expect(await entries()).toEqual(["target"]);
  });
});
