import { mkdtemp, rm, symlink, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { NextGenError } from "../errors/next-gen-error.js";
import { readTemplateFile } from "./read-template-file.js";
import { parseTemplateFileName } from "./template-file-name.js";

const dirs: string[] = [];
async function tempDir(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), "nextgen-readfile-"));
  dirs.push(dir);
  return dir;
}
afterEach(async () => {
  for (const dir of dirs.splice(0)) await rm(dir, { recursive: true, force: true });
});

describe("readTemplateFile with a listed real path", () => {
  it("reads the listed regular file without resolving it again", async () => {
    const root = await tempDir();
    await writeFile(join(root, "a.json"), JSON.stringify({ id: "ns/a", version: "1.0.0" }));
    const name = parseTemplateFileName("ns/a.json")!;
    const entry = await readTemplateFile(join(root, "missing-path.json"), name, {
      codec: undefined,
      maxBytes: 1_000,
      root,
      realFile: join(root, "a.json"),
    });
    expect(entry.version).toBe("1.0.0");
  });

  it("refuses a listed file that became a symlink leaving the root (O_NOFOLLOW, then the checked read)", async () => {
    const root = await tempDir();
    const outside = await tempDir();
    await writeFile(join(outside, "secret.json"), JSON.stringify({ id: "ns/a", version: "6.6.6" }));
    await symlink(join(outside, "secret.json"), join(root, "a.json"));
    const name = parseTemplateFileName("ns/a.json")!;
    const error = await readTemplateFile(join(root, "a.json"), name, {
      codec: undefined,
      maxBytes: 1_000,
      root,
      realFile: join(root, "a.json"),
    }).catch((caught: unknown) => caught);
    expect(NextGenError.is(error, "NG_ERR_SOURCE_OUTSIDE_ROOT")).toBe(true);
  });
});
