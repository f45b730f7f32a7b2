import { chmod, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it, vi } from "vitest";
import { parseCount, progressBar, readKeyFile } from "./backup-support.js";

const isTTY = process.stderr.isTTY;
afterEach(() => {
  vi.restoreAllMocks();
  process.stderr.isTTY = isTTY;
});

describe("backup CLI support", () => {
  it("draws a progress bar on a terminal for large trees only, and never with --json", () => {
    let drawn = "";
    vi.spyOn(process.stderr, "write").mockImplementation((chunk) => {
      drawn += String(chunk);
      return true;
    });
    process.stderr.isTTY = true;
    const small = progressBar(true);
    small.listener?.({ phase: "read", done: 10, total: 10 });
    small.stop();
    expect(drawn).toBe("");
    const large = progressBar(true);
    large.listener?.({ phase: "read", done: 250, total: 500 });
    large.stop();
    expect(drawn).toContain("250/500 files");
    expect(progressBar(false).listener).toBeUndefined();
    process.stderr.isTTY = false;
    expect(progressBar(true).listener).toBeUndefined();
  });

  it("reads 32-byte keys as raw bytes, hex or base64, and refuses anything else", async () => {
    const directory = await mkdtemp(join(tmpdir(), "nextgen-cli-key-"));
    try {
      const key = Buffer.alloc(32, 7);
      for (const [name, contents] of [
        ["raw", key],
        ["hex", `${key.toString("hex")}\n`],
        ["base64", key.toString("base64")],
      ] as const) {
        await writeFile(join(directory, name), contents);
        expect(Buffer.from((await readKeyFile(join(directory, name))) ?? [])).toEqual(key);
      }
      let warned = "";
      vi.spyOn(process.stderr, "write").mockImplementation((chunk) => {
        warned += String(chunk);
        return true;
      });
      await writeFile(join(directory, "shared"), key, { mode: 0o644 });
      await chmod(join(directory, "shared"), 0o644);
      await readKeyFile(join(directory, "shared"));
      expect(warned).toMatch(/shared can be read by group or others \(mode 644\); chmod 600 it/);
      warned = "";
      await chmod(join(directory, "shared"), 0o600);
      await readKeyFile(join(directory, "shared"));
      expect(warned).toBe("");
      await writeFile(join(directory, "short"), "abcd");
      await expect(readKeyFile(join(directory, "short"))).rejects.toMatchObject({ code: "NG_ERR_BACKUP_ENCRYPTION" });
      expect(await readKeyFile(undefined)).toBeUndefined();
    } finally {
      await rm(directory, { recursive: true, force: true });
    }
  });

  it("parses counts, with unlimited as Infinity", () => {
    expect(parseCount("7")).toBe(7);
    expect(parseCount("unlimited")).toBe(Number.POSITIVE_INFINITY);
    expect(() => parseCount("1.5")).toThrow(/not a count/);
  });
});
