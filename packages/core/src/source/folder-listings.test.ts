import { mkdir, mkdtemp, realpath, rename, rm, symlink, utimes, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { type FolderEntries, folderListings } from "./folder-listings.js";

const dirs: string[] = [];
/** The root each test folder was made in. */
const roots = new Map<string, string>();
const rootOf = (folder: string): string => roots.get(folder) ?? folder;
afterEach(async () => {
  for (const dir of dirs.splice(0)) await rm(dir, { recursive: true, force: true });
});

/** A folder holding `names`, whose times are set an hour back (a deployed, quiet folder). */
async function quietFolder(names: string[]): Promise<string> {
  const root = await mkdtemp(join(tmpdir(), "nextgen-listings-"));
  dirs.push(root);
  const folder = join(root, "ns");
  roots.set(folder, root);
  await mkdir(folder);
  for (const name of names) await writeFile(join(folder, name), "{}");
  const hourAgo = new Date(Date.now() - 3_600_000);
  await utimes(folder, hourAgo, hourAgo);
  return folder;
}

const entries = (...names: string[]): FolderEntries => ({ names, regular: new Set(names) });

/** A reader of a folder that counts its calls. */
function countingReader(names: () => string[]) {
  const reader = {
    calls: 0,
    read: async () => {
      reader.calls++;
      return entries(...names());
    },
  };
  return reader;
}

describe("folderListings", () => {
  it("keeps the listing of a quiet folder and reports it current while nothing changes", async () => {
    const folder = await quietFolder(["b.json", "a.json"]);
    const listings = folderListings(rootOf(folder));
    const reader = countingReader(() => ["b.json", "a.json"]);
    const listing = await listings.read(folder, reader.read);
    expect(listing.names).toEqual(["a.json", "b.json"]);
    expect(listing.realFolder).toBe(await realpath(folder));
    const kept = listings.kept(folder);
    expect(kept?.names).toEqual(["a.json", "b.json"]);
    expect(await kept?.stillCurrent()).toBe(true);
    expect(reader.calls).toBe(1);
  });

  it("reports a kept listing stale once a file is added, removed or the folder replaced", async () => {
    const folder = await quietFolder(["a.json"]);
    const listings = folderListings(rootOf(folder));
    await listings.read(folder, async () => entries("a.json"));
    const kept = listings.kept(folder)!;
    await writeFile(join(folder, "a@2.0.0.json"), "{}");
    expect(await kept.stillCurrent()).toBe(false);

    const other = await quietFolder(["a.json"]);
    const listings2 = folderListings(rootOf(other));
    await listings2.read(other, async () => entries("a.json"));
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
    const listings = folderListings(rootOf(folder), { quietMs: 2_000, now: () => changed + 1_500 });
    await listings.read(folder, async () => entries());
    expect(listings.kept(folder)).toBeUndefined();
    const later = folderListings(rootOf(folder), { quietMs: 2_000, now: () => changed + 60_000 });
    await later.read(folder, async () => entries());
    expect(later.kept(folder)).toBeDefined();
  });

  it("shares one listing between concurrent reads of a folder, and keeps at most maxFolders", async () => {
    const first = await quietFolder(["a.json"]);
    const second = await quietFolder(["b.json"]);
    const listings = folderListings(rootOf(first), { maxFolders: 1 });
    const reader = countingReader(() => ["a.json"]);
    await Promise.all([listings.read(first, reader.read), listings.read(first, reader.read)]);
    expect(reader.calls).toBe(1);
    await listings.read(second, async () => entries("b.json"));
    expect(listings.kept(first)).toBeUndefined();
    expect(listings.kept(second)?.names).toEqual(["b.json"]);
  });

  it("keeps nothing for a missing folder", async () => {
    const folder = await quietFolder([]);
    const listings = folderListings(rootOf(folder));
    expect((await listings.read(join(folder, "missing"), async () => entries())).names).toEqual([]);
    expect(listings.kept(join(folder, "missing"))).toBeUndefined();
  });

  it("gives no real path for a folder that is a symlink leaving the root", async () => {
    const outside = await quietFolder([]);
    const inside = await quietFolder([]);
    const link = join(rootOf(inside), "linked");
    await symlink(outside, link);
    const listings = folderListings(rootOf(inside));
    expect((await listings.read(link, async () => entries())).realFolder).toBeUndefined();
    expect((await listings.read(inside, async () => entries())).realFolder).toBe(await realpath(inside));
  });
});
