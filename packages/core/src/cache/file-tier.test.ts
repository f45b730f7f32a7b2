import diagnosticsChannel from "node:diagnostics_channel";
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, afterEach, describe, expect, it } from "vitest";
import { CACHE_EVICT_CHANNEL } from "../diagnostics/channels.js";
import type { CacheEvictMessage } from "../diagnostics/payloads.js";
import { testCacheTier } from "../testing/cache-tier-suite.js";
import { fileTier } from "./file-tier.js";
import { brotliTestCodec } from "./test-codec.js";

const root = await mkdtemp(join(tmpdir(), "nextgen-file-tier-"));
afterAll(() => rm(root, { recursive: true, force: true }));

testCacheTier("fileTier with a codec", ({ clock, namespace }) =>
  fileTier({ dir: join(root, namespace), codec: brotliTestCodec, clock }),
);
testCacheTier("fileTier without a codec", ({ clock, namespace }) =>
  fileTier({ dir: join(root, `plain-${namespace}`), clock }),
);

describe("fileTier", () => {
  const evictions: CacheEvictMessage[] = [];
  const onEvict = (message: unknown): void => {
    evictions.push(message as CacheEvictMessage);
  };
  diagnosticsChannel.subscribe(CACHE_EVICT_CHANNEL, onEvict);
  afterEach(() => {
    evictions.length = 0;
  });
  let sequence = 0;
  const freshDir = (): string => join(root, `case-${++sequence}`);
  const template = new TextEncoder().encode('{"schemaVersion":1,"id":"security/auditor","version":"1.2.0"}');

  it("writes .json.zst entries through the codec, with safe file names, and leaves no partial file", async () => {
    const dir = freshDir();
    const tier = fileTier({ dir, codec: brotliTestCodec });
    await tier.set("../../etc/passwd", template);
    await tier.set("security/auditor@1.2.0", template);
    const files = await readdir(dir);
    expect(files).toHaveLength(2);
    for (const file of files) expect(file).toMatch(/^[0-9a-f]{40}\.json\.zst$/);
    const raw = await readFile(join(dir, files[0]!));
    expect(raw.includes(Buffer.from("security/auditor"))).toBe(false);
  });

  it("evicts a corrupt entry, reports it, and reads it as a miss so that it is fetched again", async () => {
    const dir = freshDir();
    const tier = fileTier({ dir, codec: brotliTestCodec, name: "file-corrupt" });
    await tier.set("a/b@1.0.0", template);
    const [file] = await readdir(dir);
    await writeFile(join(dir, file!), "garbage that is not a frame");
    expect(await tier.get("a/b@1.0.0")).toBeUndefined();
    expect(await readdir(dir)).toEqual([]);
    expect(evictions).toContainEqual({ tier: "file-corrupt", key: "a/b@1.0.0", reason: "corrupt" });
    await tier.set("a/b@1.0.0", template);
    expect((await tier.get("a/b@1.0.0"))?.value).toEqual(template);
  });

  it("refuses an entry file copied under another key's name", async () => {
    const dir = freshDir();
    const tier = fileTier({ dir });
    await tier.set("evil/one@1.0.0", new TextEncoder().encode("evil"));
    await tier.set("good/one@1.0.0", template);
    const files = await readdir(dir);
    const contents = await Promise.all(files.map((file) => readFile(join(dir, file), "utf8")));
    const evil = files[contents.findIndex((text) => text.includes("evil"))]!;
    const good = files.find((file) => file !== evil)!;
    await writeFile(join(dir, good), await readFile(join(dir, evil)));
    expect(await tier.get("good/one@1.0.0")).toBeUndefined();
  });

  it("stays within maxBytes by evicting the oldest entries", async () => {
    let now = 1_000;
    const dir = freshDir();
    const tier = fileTier({ dir, maxBytes: 1_000, clock: { now: () => now }, name: "file-bound" });
    const value = new Uint8Array(300).fill(65);
    for (const key of ["k1", "k2", "k3", "k4"]) {
      now += 1;
      await tier.set(key, value);
    }
    expect(await tier.size?.()).toBeLessThanOrEqual(1_000);
    expect(await tier.get("k1")).toBeUndefined();
    expect(await tier.get("k4")).toBeDefined();
    expect(evictions.filter((event) => event.reason === "capacity").length).toBeGreaterThan(0);
  });

  it("sees entries another instance wrote to the same directory (shared by processes)", async () => {
    const dir = freshDir();
    await fileTier({ dir, codec: brotliTestCodec }).set("a/b", template);
    expect((await fileTier({ dir, codec: brotliTestCodec }).get("a/b"))?.value).toEqual(template);
  });

  it("reports a failing directory as NG_ERR_CACHE_TIER and as unhealthy", async () => {
    const blocker = join(freshDir());
    await writeFile(blocker, "a file where the directory should be");
    const tier = fileTier({ dir: join(blocker, "sub") });
    await expect(tier.set("k", template)).rejects.toMatchObject({ code: "NG_ERR_CACHE_TIER" });
    expect((await tier.health?.())?.status).toBe("unhealthy");
  });

  it("never counts or removes files it did not write, even in a directory shared by mistake", async () => {
    const dir = freshDir();
    await mkdir(dir, { recursive: true });
    await writeFile(join(dir, "auditor.json"), "a template someone keeps here");
    await writeFile(join(dir, "notes.json.zst"), "not ours either");
    const tier = fileTier({ dir });
    await tier.set("a/b", template);
    expect(await tier.size?.()).toBeLessThan(1_000);
    await tier.clear();
    expect((await readdir(dir)).sort()).toEqual(["auditor.json", "notes.json.zst"]);
  });

  it("refuses bad options with an error naming the option", () => {
    expect(() => fileTier({ dir: "" })).toThrow(/options\.dir/);
    expect(() => fileTier({ dir: "x", maxBytes: 0 })).toThrow(/options\.maxBytes/);
  });
});
