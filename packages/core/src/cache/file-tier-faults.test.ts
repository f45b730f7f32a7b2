import { execFileSync } from "node:child_process";
import diagnosticsChannel from "node:diagnostics_channel";
import { mkdir, mkdtemp, readdir, rm, symlink, utimes, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { CACHE_EVICT_CHANNEL } from "../diagnostics/channels.js";
import type { CacheEvictMessage } from "../diagnostics/payloads.js";
import { NextGenError } from "../errors/next-gen-error.js";
import { entryFileName } from "./file-entry.js";
import { fileTier } from "./file-tier.js";

// Faults a file tier meets in production (issue 11 item 13, issue 12 items 5 and 6):
// planted special files, writes killed before their rename, full and broken directories.
const root = await mkdtemp(join(tmpdir(), "nextgen-file-faults-"));
const mounts: string[] = [];
afterAll(async () => {
  for (const mount of mounts) execFileSync("umount", [mount]);
  await rm(root, { recursive: true, force: true });
});
let sequence = 0;
const freshDir = async (): Promise<string> => {
  const dir = join(root, `case-${++sequence}`);
  await mkdir(dir, { recursive: true });
  return dir;
};
const bytes = new TextEncoder().encode('{"schemaVersion":1,"id":"a/b","version":"1.0.0"}');

/** A 64 KiB tmpfs, when this process may mount one (root on Linux); `undefined` otherwise. */
function smallTmpfs(): string | undefined {
  const dir = join(root, `tmpfs-${++sequence}`);
  try {
    execFileSync("mkdir", ["-p", dir]);
    execFileSync("mount", ["-t", "tmpfs", "-o", "size=64k", "tmpfs", dir], { stdio: "ignore" });
    mounts.push(dir);
    return dir;
  } catch {
    return undefined;
  }
}
const tmpfs = process.platform === "linux" && process.getuid?.() === 0 ? smallTmpfs() : undefined;

describe("fileTier faults", () => {
  it("evicts an entry planted as a FIFO or as a link to /dev/zero, reading it as a miss without blocking", async () => {
    const dir = await freshDir();
    const tier = fileTier({ dir });
    execFileSync("mkfifo", [join(dir, entryFileName("a/fifo", ".json"))]);
    await symlink("/dev/zero", join(dir, entryFileName("a/zero", ".json")));
    const results = await Promise.all(["a/fifo", "a/fifo", "a/zero", "a/zero", "a/fifo"].map((key) => tier.get(key)));
    expect(results).toEqual([undefined, undefined, undefined, undefined, undefined]);
    expect(await readdir(dir)).toEqual([]);
    await tier.set("a/fifo", bytes);
    expect((await tier.get("a/fifo"))?.value).toEqual(bytes);
  });

  it("evicts an entry larger than maxEntryBytes without reading it whole", async () => {
    const dir = await freshDir();
    const tier = fileTier({ dir, maxEntryBytes: 1_024 });
    await writeFile(join(dir, entryFileName("a/big", ".json")), Buffer.alloc(10_000, 0x20));
    expect(await tier.get("a/big")).toBeUndefined();
    expect(await readdir(dir)).toEqual([]);
  });

  it("removes temporary files of killed writes on open, counts them, and keeps young ones in the byte bound", async () => {
    const dir = await freshDir();
    const stale = `.${entryFileName("a/b", ".json")}.1111.partial`;
    const legacy = `.${entryFileName("a/c", ".json")}.2222.tmp`;
    const young = `.${entryFileName("a/d", ".json")}.3333.partial`;
    for (const file of [stale, legacy, young]) await writeFile(join(dir, file), Buffer.alloc(1_000, 0x20));
    await writeFile(join(dir, "someone-elses.partial"), "not ours");
    const hourAgo = new Date(Date.now() - 3_600_000);
    for (const file of [stale, legacy]) await utimes(join(dir, file), hourAgo, hourAgo);
    const evictions: CacheEvictMessage[] = [];
    const onEvict = (message: unknown): void => void evictions.push(message as CacheEvictMessage);
    diagnosticsChannel.subscribe(CACHE_EVICT_CHANNEL, onEvict);
    try {
      const tier = fileTier({ dir, name: "file-orphans" });
      expect(await tier.size!()).toBe(1_000); // the young temporary counts
      expect((await readdir(dir)).sort()).toEqual([young, "someone-elses.partial"].sort());
      expect(evictions.filter((event) => event.reason === "orphan")).toHaveLength(2);
      expect((await tier.health!()).reason).toMatch(/removed 2 temporary files/);
    } finally {
      diagnosticsChannel.unsubscribe(CACHE_EVICT_CHANNEL, onEvict);
    }
  });

  it("reports size() of a broken directory as NG_ERR_CACHE_TIER naming the path and the remedy", async () => {
    const blocker = join(await freshDir(), "blocker");
    await writeFile(blocker, "a file where the directory should be");
    const dir = join(blocker, "sub");
    const error = (await fileTier({ dir }).size!().catch((caught: unknown) => caught)) as NextGenError;
    expect(NextGenError.is(error, "NG_ERR_CACHE_TIER")).toBe(true);
    expect(error.message).toContain(dir);
    expect(error.message).toMatch(/ENOTDIR.*another dir/);
    expect((error.cause as NodeJS.ErrnoException).code).toBe("ENOTDIR");
    expect((await fileTier({ dir }).health!()).reason).toMatch(/another dir/);
  });

  it.runIf(tmpfs !== undefined)(
    "reports a full disk as NG_ERR_CACHE_TIER with ENOSPC and leaves no partial file",
    async () => {
      const dir = join(tmpfs!, "tier");
      const tier = fileTier({ dir });
      const large = new Uint8Array(48 * 1024).fill(0x41);
      await tier.set("a/one", large);
      const error = (await tier.set("a/two", large).catch((caught: unknown) => caught)) as NextGenError;
      expect(NextGenError.is(error, "NG_ERR_CACHE_TIER")).toBe(true);
      expect(error.message).toContain(dir);
      expect(error.message).toMatch(/ENOSPC.*free space/);
      expect((await readdir(dir)).filter((file) => file.endsWith(".partial"))).toEqual([]);
      expect((await tier.get("a/one"))?.value).toEqual(large);
    },
  );
});
