import { mkdir, mkdtemp, readdir, readFile, rm, stat, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { PARTIAL_FILE, writeFileAtomic } from "./write-file-atomic.js";

describe("writeFileAtomic", () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), "ng-atomic-"));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it("writes a new file and replaces an existing one, leaving no temporary sibling", async () => {
    const path = join(dir, "state.json");
    await writeFileAtomic(path, "one");
    await writeFileAtomic(path, new TextEncoder().encode("two"));
    expect(await readFile(path, "utf8")).toBe("two");
    expect(await readdir(dir)).toEqual(["state.json"]);
  });

  it("gives the new file the mode asked for, 0644 by default", async () => {
    const umask = process.umask();
    await writeFileAtomic(join(dir, "key.pem"), "secret", { mode: 0o600 });
    await writeFileAtomic(join(dir, "plain.txt"), "text");
    expect((await stat(join(dir, "key.pem"))).mode & 0o777).toBe(0o600 & ~umask);
    expect((await stat(join(dir, "plain.txt"))).mode & 0o777).toBe(0o644 & ~umask);
  });

  it("with overwrite: false refuses an existing file with EEXIST and leaves it as it was", async () => {
    const path = join(dir, "out.bin");
    await writeFile(path, "old");
    await expect(writeFileAtomic(path, "new", { overwrite: false })).rejects.toMatchObject({ code: "EEXIST" });
    expect(await readFile(path, "utf8")).toBe("old");
    expect(await readdir(dir)).toEqual(["out.bin"]);
    await writeFileAtomic(join(dir, "fresh.bin"), "new", { overwrite: false });
    expect(await readFile(join(dir, "fresh.bin"), "utf8")).toBe("new");
  });

  it("throws the system error and removes the temporary file when the rename fails", async () => {
    const path = join(dir, "taken");
    await mkdir(join(path, "child"), { recursive: true }); // a non-empty directory cannot be renamed over
    await expect(writeFileAtomic(path, "data")).rejects.toHaveProperty("code");
    expect(await readdir(dir)).toEqual(["taken"]);
    await expect(writeFileAtomic(join(dir, "missing", "file"), "data")).rejects.toMatchObject({ code: "ENOENT" });
  });

  it("names its temporary files so a sweep can recognise them", () => {
    expect(PARTIAL_FILE.test(".state.json.0123456789ab.partial")).toBe(true);
    expect(PARTIAL_FILE.test("notes.partial")).toBe(false);
  });
});
