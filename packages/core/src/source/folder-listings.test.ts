import { mkdir, mkdtemp, rename, rm, utimes, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { folderListings } from "./folder-listings.js";

const dirs: string[] = [];
afterEach(async () => {
  for (const dir of dirs.splice(0)) await rm(dir, { recursive: true, force: true });
});

/** A folder holding `names`, whose times are set an hour back (a deployed, quiet folder). */
async function quietFolder(names: string[]): Promise<string> {
  const root = await mkdtemp(join(tmpdir(), "nextgen-listings-"));
  dirs.push(root);
  const folder = join(root, "ns");
  await mkdir(folder);
  for (const name of names) await writeFile(join(folder, name), "{}");
  const hourAgo = new Date(Date.now() - 3_600_000);
  await utimes(folder, hourAgo, hourAgo);
  return folder;
}

/** A reader of `folder` that counts its calls. */
function countingReader(names: () => string[]) {
  const reader = {
    calls: 0,
    read: async () => {
      reader.calls++;
      return names();
    },
  };
  return reader;
}

describe("folderListings", () => {
  it("keeps the listing of a quiet folder and reports it current while nothing changes", async () => {
    const folder = await quietFolder(["b.json", "a.json"]);
    const listings = folderListings();
    const reader = countingReader(() => ["b.json", "a.json"]);
    expect(await listings.read(folder, reader.read)).toEqual(["a.json", "b.json"]);
    const kept = listings.kept(folder);
    expect(kept?.names).toEqual(["a.json", "b.json"]);
    expect(await kept?.stillCurrent()).toBe(true);
    expect(reader.calls).toBe(1);
  });

  it("reports a kept listing stale once a file is added, removed or the folder replaced", async () => {
    const folder = await quietFolder(["a.json"]);
    const listings = folderListings();
    await listings.read(folder, async () => ["a.json"]);
    const kept = listings.kept(folder)!;
    await writeFile(join(folder, "a@2.0.0.json"), "{}");
    expect(await kept.stillCurrent()).toBe(false);

    const other = await quietFolder(["a.json"]);
    const listings2 = folderListings();
    await listings2.read(other, async () => ["a.json"]);
    const replacement = `${other}-new`;
    await mkdir(replacement);
    const hourAgo = new Date(Date.now() - 3_600_000);
    await utimes(replacement, hourAgo, hourAgo);
    await rm(other, { recursive: true });
    await rename(replacement, other);
    expect(await listings2.kept(other)!.stillCurrent()).toBe(false);
  });

  it("does not keep the listing of a folder changed within quietMs (its time may not tick again)", async () => {
    const folder = await quietFolder([]);
    const changed = Date.now();
    await utimes(folder, new Date(changed), new Date(changed));
    const listings = folderListings({ quietMs: 2_000, now: () => changed + 1_500 });
    await listings.read(folder, async () => []);
    expect(listings.kept(folder)).toBeUndefined();
    const later = folderListings({ quietMs: 2_000, now: () => changed + 60_000 });
    await later.read(folder, async () => []);
    expect(later.kept(folder)).toBeDefined();
  });

  it("shares one listing between concurrent reads of a folder, and keeps at most maxFolders", async () => {
    const first = await quietFolder(["a.json"]);
    const second = await quietFolder(["b.json"]);
    const listings = folderListings({ maxFolders: 1 });
    const reader = countingReader(() => ["a.json"]);
    await Promise.all([listings.read(first, reader.read), listings.read(first, reader.read)]);
    expect(reader.calls).toBe(1);
    await listings.read(second, async () => ["b.json"]);
    expect(listings.kept(first)).toBeUndefined();
    expect(listings.kept(second)?.names).toEqual(["b.json"]);
  });

  it("keeps nothing for a missing folder", async () => {
    const folder = await quietFolder([]);
    const listings = folderListings();
    expect(await listings.read(join(folder, "missing"), async () => [])).toEqual([]);
    expect(listings.kept(join(folder, "missing"))).toBeUndefined();
  });
});
