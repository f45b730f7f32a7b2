import { execFileSync } from "node:child_process";
import { mkdir, mkdtemp, readFile, rm, symlink, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { NextGenError } from "../errors/next-gen-error.js";
import { directorySource } from "./directory-source.js";

// Regression tests for issue 11 items 13 and 14: special files and links in a template
// directory (an untrusted location) must be refused at once, without blocking a libuv
// thread, growing memory or echoing the bytes of what a link points to.
const dirs: string[] = [];
async function tempDir(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), "nextgen-special-"));
  dirs.push(dir);
  return dir;
}
afterEach(async () => {
  for (const dir of dirs.splice(0)) await rm(dir, { recursive: true, force: true });
});

const code = (error: unknown): string | undefined => (NextGenError.is(error) ? error.code : undefined);

describe("directorySource and special files", () => {
  it("refuses a FIFO named like a template without blocking the file pool", async () => {
    const root = await tempDir();
    await mkdir(join(root, "a"));
    execFileSync("mkfifo", [join(root, "a/b.json")]);
    const source = directorySource(root);
    // Four reads at once would hold all four libuv threads if opening the FIFO blocked.
    const errors = await Promise.all([1, 2, 3, 4].map(() => source.get("a/b").catch((caught: unknown) => caught)));
    for (const error of errors) expect(code(error)).toBe("NG_ERR_SOURCE_NOT_A_FILE");
    // The pool is free: an ordinary read completes.
    await writeFile(join(root, "plain.txt"), "ok");
    expect(await readFile(join(root, "plain.txt"), "utf8")).toBe("ok");
  });

  it("refuses a template symlinked to /dev/zero (outside the root) instead of reading it without end", async () => {
    const root = await tempDir();
    await mkdir(join(root, "a"));
    await symlink("/dev/zero", join(root, "a/b.json"));
    const error = await directorySource(root)
      .get("a/b")
      .catch((caught: unknown) => caught);
    expect(code(error)).toBe("NG_ERR_SOURCE_OUTSIDE_ROOT");
    await expect(directorySource(root).list()).rejects.toSatisfy(
      (caught) => code(caught) === "NG_ERR_SOURCE_OUTSIDE_ROOT",
    );
  });

  it("refuses a symlink to a secret outside the root, and never echoes its bytes", async () => {
    const root = await tempDir();
    const outside = await tempDir();
    const secret = "TOPSECRET-7f3a9c-hunter2";
    await writeFile(join(outside, "secret.txt"), `${secret}\n`);
    await mkdir(join(root, "a"));
    await symlink(join(outside, "secret.txt"), join(root, "a/b.json"));
    const error = (await directorySource(root)
      .get("a/b")
      .catch((caught: unknown) => caught)) as Error;
    expect(code(error)).toBe("NG_ERR_SOURCE_OUTSIDE_ROOT");
    expect(error.message).not.toContain("TOPSECRET");
  });

  it("never echoes file bytes when a file in the root is not JSON or declares a crafted id", async () => {
    const root = await tempDir();
    await mkdir(join(root, "a"));
    await writeFile(join(root, "a/b.json"), "TOPSECRET-not-json");
    await writeFile(join(root, "a/c.json"), JSON.stringify({ id: "TOPSECRET\u001b[2J", version: "TOPSECRET" }));
    await writeFile(join(root, "a/d@1.0.0.json"), JSON.stringify({ id: "a/d", version: "TOPSECRET" }));
    const source = directorySource(root);
    for (const id of ["a/b", "a/c"]) {
      const error = (await source.get(id).catch((caught: unknown) => caught)) as Error;
      expect(NextGenError.is(error)).toBe(true);
      expect(error.message).not.toContain("TOPSECRET");
    }
    const error = (await source.get("a/d", "1.0.0").catch((caught: unknown) => caught)) as Error;
    expect(code(error)).toBe("NG_ERR_SOURCE_ID_MISMATCH");
    expect(error.message).not.toContain("TOPSECRET");
  });

  it("serves a symlink that stays inside the root", async () => {
    const root = await tempDir();
    await mkdir(join(root, "a"));
    await mkdir(join(root, "shared"));
    await writeFile(join(root, "shared/real.txt"), JSON.stringify({ schemaVersion: 1, id: "a/b", version: "1.0.0" }));
    await symlink(join(root, "shared/real.txt"), join(root, "a/b.json"));
    expect((await directorySource(root).get("a/b"))?.version).toBe("1.0.0");
  });

  it("reads no more than maxBytes + 1 of a file that is larger than it claims", async () => {
    const root = await tempDir();
    await mkdir(join(root, "a"));
    await writeFile(join(root, "a/b.json"), JSON.stringify({ id: "a/b", version: "1.0.0", pad: "x".repeat(5_000) }));
    const error = await directorySource(root, { maxBytes: 1_000 })
      .get("a/b")
      .catch((caught: unknown) => caught);
    expect(code(error)).toBe("NG_ERR_TEMPLATE_TOO_LARGE");
  });
});
