import { execFileSync } from "node:child_process";
import {
  chmodSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  realpathSync,
  rmSync,
  statSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, test } from "vitest";
import { createZstdCodec } from "../codec/create-zstd-codec.js";
import { temporaryDirectory } from "../testing/zstd-cli.js";
import { readJsonZst, writeJsonZst } from "./json-zst.js";

const codec = createZstdCodec({ backend: "zstd-wasm" });
const workspace = temporaryDirectory("json-zst-io");

// A 64 KiB tmpfs fills up for real. Mounting needs root (CI runs as root); anywhere else this
// one test is skipped and says why.
const full = mkdtempSync(join(tmpdir(), "nextgen-json-zst-full-"));
let mountRefusal = "";
try {
  execFileSync("mount", ["-t", "tmpfs", "-o", "size=64k", "tmpfs", full], { stdio: "pipe" });
} catch (error) {
  mountRefusal = ` — skipped: cannot mount a 64 KiB tmpfs here (${String((error as Error).message).split("\n")[0]})`;
}
afterAll(() => {
  if (mountRefusal === "") execFileSync("umount", [full]);
  rmSync(full, { recursive: true, force: true });
  workspace.remove();
});

/**
 * A node binary the unprivileged child can execute: this one, unless it sits below a directory
 * only root may enter (`npx -p node@24` installs into /root/.npm), then the system's.
 */
function nodeForNobody(): string {
  const reachable = (path: string): boolean => {
    const parts = path.split("/").filter((part) => part.length > 0);
    return parts.every((_, index) => (statSync(`/${parts.slice(0, index + 1).join("/")}`).mode & 0o001) !== 0);
  };
  if (reachable(process.execPath)) return process.execPath;
  for (const candidate of ["/usr/bin/node", "/usr/local/bin/node"]) {
    if (existsSync(candidate) && reachable(realpathSync(candidate))) return candidate;
  }
  throw new Error(`no node binary that user nobody can execute (${process.execPath} is not)`);
}

// Incompressible, so the frame is as large as the input.
const noise = (bytes: number): Uint8Array =>
  Uint8Array.from({ length: bytes }, (_, index) => ((index * 2654435761) >>> 24) ^ (index * 7));

describe("readJsonZst / writeJsonZst refuse file-system failures with NG_ERR_CODEC_IO naming the path and the remedy", () => {
  test.skipIf(mountRefusal !== "")(
    `a full disk (ENOSPC) keeps the previous file and leaves no temporary file${mountRefusal}`,
    async () => {
      const path = join(full, "auditor.json.zst");
      await writeJsonZst(path, { version: "1.0.0" }, codec);
      const before = readFileSync(path);
      const error = await writeJsonZst(path, noise(200_000), codec).catch((caught: unknown) => caught);
      expect(error).toMatchObject({ code: "NG_ERR_CODEC_IO", path, name: "CompressionError" });
      expect((error as Error).message).toContain(path);
      expect((error as Error).message).toContain("ENOSPC");
      expect((error as Error).message).toMatch(/free space/);
      expect((error as { cause?: { code?: string } }).cause?.code).toBe("ENOSPC");
      expect(readdirSync(full)).toEqual(["auditor.json.zst"]);
      expect(Buffer.compare(readFileSync(path), before)).toBe(0);
      expect(await readJsonZst(path, codec)).toEqual({ version: "1.0.0" });
    },
  );

  test("a missing file or directory (ENOENT)", async () => {
    const missing = join(workspace.path, "nope", "auditor.json.zst");
    await expect(readJsonZst(missing, codec)).rejects.toMatchObject({
      code: "NG_ERR_CODEC_IO",
      path: missing,
      message: expect.stringMatching(/cannot read .*nope\/auditor\.json\.zst \(ENOENT\): no such file/),
    });
    await expect(writeJsonZst(missing, { a: 1 }, codec)).rejects.toMatchObject({
      code: "NG_ERR_CODEC_IO",
      path: missing,
      message: expect.stringMatching(/cannot write .* \(ENOENT\): its directory does not exist: create it first/),
    });
  });

  test("a directory where a file should be (EISDIR)", async () => {
    const directory = join(workspace.path, "is-a-dir.json.zst");
    mkdirSync(directory);
    await expect(readJsonZst(directory, codec)).rejects.toMatchObject({ code: "NG_ERR_CODEC_IO", path: directory });
  });

  test("an unreadable file and an unwritable directory (EACCES)", async () => {
    const locked = join(workspace.path, "locked");
    mkdirSync(locked);
    const secret = join(locked, "secret.json.zst");
    await writeJsonZst(secret, { a: 1 }, codec);
    const target = join(locked, "new.json.zst");
    chmodSync(secret, 0o600);
    chmodSync(workspace.path, 0o755);
    type Outcome = { code: string; path?: string; message: string };
    let read: Outcome;
    let write: Outcome;
    if (process.getuid?.() === 0) {
      // Root ignores file modes: the refusals come from a child running as nobody.
      const child = new URL("./fixtures/json-zst-as-user.ts", import.meta.url).pathname;
      const run = (operation: string, path: string): Outcome =>
        JSON.parse(
          execFileSync(nodeForNobody(), ["--import", "tsx", child, operation, path], {
            uid: 65534,
            gid: 65534,
            cwd: new URL("../..", import.meta.url).pathname,
            timeout: 30_000,
          }).toString(),
        ) as Outcome;
      read = run("read", secret);
      write = run("write", target);
    } else {
      chmodSync(secret, 0o000);
      chmodSync(locked, 0o500);
      const outcome = (error: unknown): Outcome => error as Outcome;
      read = await readJsonZst(secret, codec).then(() => ({ code: "ok", message: "" }), outcome);
      write = await writeJsonZst(target, { a: 1 }, codec).then(() => ({ code: "ok", message: "" }), outcome);
      chmodSync(locked, 0o700);
    }
    expect(read).toMatchObject({
      code: "NG_ERR_CODEC_IO",
      path: secret,
      message: expect.stringMatching(/\(EACCES\): permission denied: give this process read access to/),
    });
    expect(write).toMatchObject({
      code: "NG_ERR_CODEC_IO",
      path: target,
      message: expect.stringMatching(/\(EACCES\): permission denied: give this process write access to/),
    });
    expect(readdirSync(locked)).toEqual(["secret.json.zst"]);
  }, 60_000);
});
