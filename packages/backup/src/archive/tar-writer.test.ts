import { execFileSync } from "node:child_process";
import { mkdir, mkdtemp, readFile, rm, symlink, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gunzipSync } from "node:zlib";
import type { NextGenError } from "@nextgen/core";
import { pack } from "tar-stream";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { gzipReproducible } from "./gzip.js";
import { readTar } from "./tar-reader.js";
import { writeTar } from "./tar-writer.js";
import { maxTarBytes } from "./unpacked-size.js";

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

async function refuse(archive: Buffer, code: string, message?: RegExp): Promise<void> {
  const error = await readTar(archive).then(
    () => undefined,
    (caught: unknown) => caught as NextGenError,
  );
  expect(error?.code).toBe(code);
  if (message !== undefined) expect(error?.message).toMatch(message);
}

/** Sets the type flag of the header at `offset` and recomputes its checksum. */
function retype(archive: Buffer, offset: number, type: string): Buffer {
  const copy = Buffer.from(archive);
  copy.write(type, offset + 156, 1, "ascii");
  copy.fill(0x20, offset + 148, offset + 156);
  let sum = 0;
  for (let index = offset; index < offset + 512; index++) sum += copy[index] as number;
  copy.write(`${sum.toString(8).padStart(6, "0")}\0 `, offset + 148, 8, "ascii");
  return copy;
}

async function packed(add: (stream: ReturnType<typeof pack>) => void): Promise<Buffer> {
  const stream = pack();
  add(stream);
  stream.finalize();
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

describe("writeTar", () => {
  it("writes a stream GNU tar lists and extracts byte for byte, including PAX long and UTF-8 names", async () => {
    const archive = join(directory, "out.tar.gz");
    await writeFile(archive, gzipReproducible(await writeTar(files)));
    const listing = execFileSync("tar", ["-tzvf", archive], { encoding: "utf8" });
    expect(listing).toContain("-rw-r--r-- 0/0");
    expect(listing).toContain("1970-01-01");
    execFileSync("tar", ["-xzf", archive, "-C", directory]);
    for (const file of files) expect(await readFile(join(directory, file.path))).toEqual(file.data);
  });

  it("is reproducible: the same files give the same bytes", async () => {
    const first = gzipReproducible(await writeTar(files));
    const second = gzipReproducible(await writeTar(files.map((file) => ({ ...file, data: Buffer.from(file.data) }))));
    expect(first.equals(second)).toBe(true);
    expect(first.readUInt32LE(4)).toBe(0); // gzip MTIME
    expect(first[3]).toBe(0); // no FNAME flag
  });

  it("lays out 512-byte headers, padded data and two end blocks, within maxTarBytes", async () => {
    const plain = [
      { path: "a.json", data: Buffer.alloc(1) },
      { path: "b/c.json", data: Buffer.alloc(512) },
      { path: "d.json", data: Buffer.alloc(0) },
    ];
    expect((await writeTar(plain)).length).toBe(512 + 512 + (512 + 512) + 512 + 1024);
    // A PAX header and its padded record precede a non-ASCII name's header.
    expect((await writeTar([{ path: "é.json", data: Buffer.alloc(1) }])).length).toBe(512 + 512 + 512 + 512 + 1024);
    const manifest = files.map((file) => ({ path: file.path, size: file.data.length, sha256: "" }));
    expect((await writeTar(files)).length).toBeLessThanOrEqual(maxTarBytes(manifest));
  });
});

describe("readTar", () => {
  it("reads back what it writes, and what GNU tar writes (POSIX, with directories and PAX times)", async () => {
    expect(await readTar(await writeTar(files))).toEqual(files);
    await mkdir(join(directory, "d"));
    await writeFile(join(directory, "d", "plain.json"), "{}\n");
    const gnu = execFileSync("tar", ["--format=posix", "-cf", "-", "-C", directory, "d"]);
    expect(await readTar(gnu)).toEqual([{ path: "d/plain.json", data: Buffer.from("{}\n") }]);
    const ustar = execFileSync("tar", ["--format=ustar", "-cf", "-", "-C", directory, "d/plain.json"]);
    expect(await readTar(ustar)).toEqual([{ path: "d/plain.json", data: Buffer.from("{}\n") }]);
  });

  it("reads archives written before tar-stream (octal fields end in NUL, PAX header for UTF-8)", async () => {
    // writeTar of a/b.json and unicode/café.json by the hand-written writer it replaced, gzipped.
    const previous = gunzipSync(
      Buffer.from(
        "H4sIAAAAAAACA0vUT9LLKs7PY6AhMDAwMDAzMQHTBgYG6LSBgYExEhskbm5kbsSgYMBAB1BaXJJYxGBAF7sGIaiu5WIYBSMXBCRWeKQmpqQWDWT+N8bI/2bGpgwKFaP5n+bAyFyhILEkw7Y0LzM5PyVVPzkx7fBKcI0wWi6MBIAU7/G0agiQXP8bGhqamI/W//QAh1eO5vNRMApGwSgYiQAAYjXwiQAQAAA=",
        "base64",
      ),
    );
    expect(await readTar(previous)).toEqual([
      { path: "a/b.json", data: Buffer.from("{}\n") },
      { path: "unicode/café.json", data: Buffer.from("é\n") },
    ]);
  });

  it("calls expect with each file's path and size before reading its data, and stops on a throw", async () => {
    const seen: string[] = [];
    const stop = new Error("stop");
    const result = readTar(await writeTar(files), {
      expect: (entry, index) => {
        seen.push(`${index}:${entry.path}:${entry.size}`);
        if (index === 1) throw stop;
      },
    });
    await expect(result).rejects.toBeInstanceOf(Error);
    expect(seen).toEqual(["0:a/b.json:8", "1:empty.txt:0"]);
  });

  it("refuses paths that escape and duplicate names", async () => {
    await refuse(await writeTar([{ path: "../evil.json", data: Buffer.from("x") }]), "NG_ERR_BACKUP_RESTORE");
    await refuse(await writeTar([{ path: "/etc/passwd", data: Buffer.from("x") }]), "NG_ERR_BACKUP_RESTORE");
    const duplicate = await writeTar([
      { path: "a.json", data: Buffer.from("1") },
      { path: "a.json", data: Buffer.from("2") },
    ]);
    await refuse(duplicate, "NG_ERR_BACKUP_ARCHIVE_INVALID", /duplicate entry/);
  });

  it("refuses links, devices, FIFOs and GNU tar's symlinks and long names", async () => {
    const one = await writeTar([{ path: "link", data: Buffer.alloc(0) }]);
    for (const type of ["1", "2", "3", "4", "6", "7"]) {
      await refuse(retype(one, 0, type), "NG_ERR_BACKUP_ARCHIVE_INVALID", /is not a regular file/);
    }
    await refuse(
      await packed((stream) => stream.entry({ name: "s", type: "symlink", linkname: "/etc/passwd" })),
      "NG_ERR_BACKUP_ARCHIVE_INVALID",
    );
    await symlink("/etc/passwd", join(directory, "escape"));
    await refuse(
      execFileSync("tar", ["--format=posix", "-cf", "-", "-C", directory, "escape"]),
      "NG_ERR_BACKUP_ARCHIVE_INVALID",
    );
    await writeFile(join(directory, "n".repeat(120)), "x");
    const gnuLong = execFileSync("tar", ["--format=gnu", "-cf", "-", "-C", directory, "n".repeat(120)]);
    await refuse(gnuLong, "NG_ERR_BACKUP_ARCHIVE_INVALID", /unexpected header type "L"/);
  });

  it("refuses global PAX headers and PAX records other than path, size, times and owners", async () => {
    const withPax = await writeTar([{ path: "é.json", data: Buffer.from("x") }]);
    await refuse(retype(withPax, 0, "g"), "NG_ERR_BACKUP_ARCHIVE_INVALID", /unexpected header type "g"/);
    const sparse = await packed((stream) =>
      stream.entry({ name: "a.json", size: 1, pax: { "GNU.sparse.size": "1" } } as { name: string }, Buffer.from("x")),
    );
    await refuse(sparse, "NG_ERR_BACKUP_ARCHIVE_INVALID", /PAX record "GNU\.sparse\.size"/);
  });

  it("refuses corrupt headers, truncation, a zero block inside, and a missing or dirty end", async () => {
    const tar = await writeTar(files);
    const corrupt = Buffer.from(tar);
    corrupt[10] = 0x41;
    await refuse(corrupt, "NG_ERR_BACKUP_ARCHIVE_INVALID");
    await refuse(tar.subarray(0, 1024 + 100), "NG_ERR_BACKUP_ARCHIVE_INVALID");
    await refuse(tar.subarray(0, tar.length - 1024), "NG_ERR_BACKUP_ARCHIVE_INVALID", /end-of-archive/);
    const dirty = Buffer.concat([tar, Buffer.from("x".repeat(512))]);
    await refuse(dirty, "NG_ERR_BACKUP_ARCHIVE_INVALID");
    const first = await writeTar([{ path: "a.json", data: Buffer.from("1") }]);
    const gap = Buffer.concat([first.subarray(0, 1024), Buffer.alloc(512), first]);
    await refuse(gap, "NG_ERR_BACKUP_ARCHIVE_INVALID", /unexpected header type/);
  });
});
