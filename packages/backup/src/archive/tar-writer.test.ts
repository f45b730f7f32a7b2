import { execFileSync } from "node:child_process";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { NextGenError } from "@nextgen/core";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { gzipReproducible } from "./gzip.js";
import { readTar } from "./tar-reader.js";
import { writeTar } from "./tar-writer.js";

let directory: string;
beforeEach(async () => {
  directory = await mkdtemp(join(tmpdir(), "nextgen-tar-test-"));
});
afterEach(() => rm(directory, { recursive: true, force: true }));

const longPath = `${"deep-namespace/".repeat(12)}a-template-with-a-long-name.json`;
const files = [
  { path: "a/b.json", data: Buffer.from('{"x":1}\n') },
  { path: "empty.txt", data: Buffer.alloc(0) },
  { path: longPath, data: Buffer.from("long\n") },
  { path: "unicode/café.json", data: Buffer.from("é\n") },
  { path: "exact/512.bin", data: Buffer.alloc(512, 7) },
];

describe("writeTar", () => {
  it("writes a stream GNU tar lists and extracts byte for byte, including PAX long and UTF-8 names", async () => {
    const archive = join(directory, "out.tar.gz");
    await writeFile(archive, gzipReproducible(writeTar(files)));
    const listing = execFileSync("tar", ["-tzvf", archive], { encoding: "utf8" });
    expect(listing).toContain("-rw-r--r-- 0/0");
    expect(listing).toContain("1970-01-01");
    execFileSync("tar", ["-xzf", archive, "-C", directory]);
    for (const file of files) expect(await readFile(join(directory, file.path))).toEqual(file.data);
  });

  it("is reproducible: the same files give the same bytes", () => {
    const first = gzipReproducible(writeTar(files));
    const second = gzipReproducible(writeTar(files.map((file) => ({ ...file, data: Buffer.from(file.data) }))));
    expect(first.equals(second)).toBe(true);
    expect(first.readUInt32LE(4)).toBe(0); // gzip MTIME
    expect(first[3]).toBe(0); // no FNAME flag
  });

  it("reads back what it writes, and what GNU tar writes", async () => {
    expect(readTar(writeTar(files)).map((file) => file.path)).toEqual(files.map((file) => file.path));
    await writeFile(join(directory, "plain.json"), "{}\n");
    const gnu = execFileSync("tar", ["--format=posix", "-cf", "-", "-C", directory, "plain.json"]);
    expect(readTar(gnu)).toEqual([{ path: "plain.json", data: Buffer.from("{}\n") }]);
  });

  it("refuses paths that escape, links, and corrupt headers", () => {
    const refuse = (archive: Buffer, code: string): void => {
      try {
        readTar(archive);
        expect.unreachable();
      } catch (error) {
        expect((error as NextGenError).code).toBe(code);
      }
    };
    refuse(writeTar([{ path: "../evil.json", data: Buffer.from("x") }]), "NG_ERR_BACKUP_RESTORE");
    refuse(writeTar([{ path: "/etc/passwd", data: Buffer.from("x") }]), "NG_ERR_BACKUP_RESTORE");
    const symlink = writeTar([{ path: "link", data: Buffer.alloc(0) }]);
    symlink.write("2", 156);
    refuse(symlink, "NG_ERR_BACKUP_ARCHIVE_INVALID");
    const duplicate = writeTar([
      { path: "a.json", data: Buffer.from("1") },
      { path: "a.json", data: Buffer.from("2") },
    ]);
    refuse(duplicate, "NG_ERR_BACKUP_ARCHIVE_INVALID");
    const corrupt = writeTar(files);
    corrupt[10] = 0x41;
    refuse(corrupt, "NG_ERR_BACKUP_ARCHIVE_INVALID");
  });
});
