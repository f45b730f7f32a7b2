import { chmod, lstat, mkdtemp, readFile, rm, stat, symlink, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { createProgram } from "../program.js";

async function nextgen(...args: string[]): Promise<number> {
  const out = vi.spyOn(process.stdout, "write").mockImplementation(() => true);
  const err = vi.spyOn(process.stderr, "write").mockImplementation(() => true);
  const previous = process.exitCode;
  process.exitCode = 0;
  try {
    await createProgram()
      .exitOverride()
      .parseAsync(["node", "nextgen", ...args]);
    return Number(process.exitCode ?? 0);
  } finally {
    out.mockRestore();
    err.mockRestore();
    process.exitCode = previous;
  }
}

let directory: string;
beforeEach(async () => {
  directory = await mkdtemp(join(tmpdir(), "nextgen-cli-keygen-"));
});
afterEach(async () => {
  await rm(directory, { recursive: true, force: true });
});

describe("nextgen keygen --force", () => {
  it("replaces a world-readable file with a new 0600 file instead of writing the key into it", async () => {
    const key = join(directory, "release.pem");
    await writeFile(key, "old");
    await chmod(key, 0o644);
    const before = await stat(key);
    expect(await nextgen("keygen", "--out", key, "--force")).toBe(0);
    const after = await stat(key);
    expect(after.mode & 0o777).toBe(0o600);
    // A different inode: the key bytes never passed through the old, readable file.
    expect(after.ino).not.toBe(before.ino);
    expect(await readFile(key, "utf8")).toMatch(/^-----BEGIN PRIVATE KEY-----/);
  });

  it("replaces a symlink at --out rather than writing the key through it", async () => {
    const target = join(directory, "elsewhere.txt");
    await writeFile(target, "untouched");
    const key = join(directory, "release.pem");
    await symlink(target, key);
    expect(await nextgen("keygen", "--out", key, "--force")).toBe(0);
    expect(await readFile(target, "utf8")).toBe("untouched");
    expect((await lstat(key)).isSymbolicLink()).toBe(false);
  });
});

describe("nextgen sign with a private key others can read", () => {
  it.skipIf(process.platform === "win32")("warns with the mode and the fix, and still signs", async () => {
    const key = join(directory, "release.pem");
    await nextgen("keygen", "--out", key, "--kid", "release");
    const template = join(directory, "a.json");
    await writeFile(template, JSON.stringify({ schemaVersion: 1, id: "a/b", version: "1.0.0", name: "A" }));
    let stderr = "";
    const capture = vi.spyOn(process.stderr, "write").mockImplementation((chunk) => {
      stderr += String(chunk);
      return true;
    });
    const out = vi.spyOn(process.stdout, "write").mockImplementation(() => true);
    try {
      await createProgram()
        .exitOverride()
        .parseAsync(["node", "nextgen", "sign", template, "--key", key, "--kid", "release"]);
      expect(stderr).toBe("");
      await chmod(key, 0o644);
      await createProgram()
        .exitOverride()
        .parseAsync(["node", "nextgen", "sign", template, "--key", key, "--kid", "release"]);
    } finally {
      capture.mockRestore();
      out.mockRestore();
    }
    expect(stderr).toContain(`private key ${key} is accessible by group or others (mode 0644); run chmod 600`);
    expect(JSON.parse(await readFile(template, "utf8")).signatures).toHaveLength(1);
  });
});
