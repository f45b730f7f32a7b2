import { chmod, mkdtemp, readdir, readFile, rm, stat, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { fileStateStore } from "./file-state-store.js";

let directory: string;
beforeEach(async () => {
  directory = await mkdtemp(join(tmpdir(), "nextgen-state-"));
});
afterEach(async () => {
  await chmod(directory, 0o700).catch(() => {});
  await rm(directory, { recursive: true, force: true });
});

const mark = (version: string) => ({ version, digest: `sha256:${"0".repeat(63)}${version.length}` as const });

describe("fileStateStore", () => {
  it("persists marks across instances, written atomically (no temp file left)", async () => {
    const path = join(directory, "nested", "state.json");
    await fileStateStore(path).set("a/b", mark("1.0.0"));
    await Promise.all([fileStateStore(path).get("a/b"), fileStateStore(path).get("x/y")]);
    const reopened = fileStateStore(path);
    expect(await reopened.get("a/b")).toEqual(mark("1.0.0"));
    expect(await reopened.get("x/y")).toBeUndefined();
    await Promise.all([reopened.set("c/d", mark("2.0.0")), reopened.set("e/f", mark("3.0.0"))]);
    expect(await readdir(join(directory, "nested"))).toEqual(["state.json"]);
    expect(JSON.parse(await readFile(path, "utf8")).marks).toEqual({
      "a/b": mark("1.0.0"),
      "c/d": mark("2.0.0"),
      "e/f": mark("3.0.0"),
    });
    // Only the service should read or write its rollback marks.
    expect((await stat(path)).mode & 0o777).toBe(0o600);
  });

  it("refuses a corrupt file instead of forgetting every mark", async () => {
    const path = join(directory, "state.json");
    await writeFile(path, "{ truncated");
    await expect(fileStateStore(path).get("a/b")).rejects.toMatchObject({ code: "NG_ERR_TRUST_STATE" });
  });

  it.skipIf(process.getuid?.() === 0)("fails a write it cannot persist, and keeps memory equal to disk", async () => {
    const path = join(directory, "state.json");
    const store = fileStateStore(path);
    await store.set("a/b", mark("1.0.0"));
    await chmod(directory, 0o500);
    await expect(store.set("a/b", mark("2.0.0"))).rejects.toMatchObject({ code: "NG_ERR_TRUST_STATE" });
    expect(await store.get("a/b")).toEqual(mark("1.0.0"));
  });
});
