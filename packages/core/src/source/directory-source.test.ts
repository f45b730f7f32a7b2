import { chmod, mkdir, mkdtemp, rename, rm, symlink, utimes, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { gunzipSync, gzipSync } from "node:zlib";
import { afterEach, describe, expect, it } from "vitest";
import type { Codec } from "../codec/codec.js";
import { NextGenError } from "../errors/next-gen-error.js";
import type { AgentTemplate } from "../template/types.js";
import { testTemplateSource } from "../testing/template-source-suite.js";
import { directorySource } from "./directory-source.js";

const dirs: string[] = [];
async function tempDir(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), "nextgen-dirsource-"));
  dirs.push(dir);
  return dir;
}
afterEach(async () => {
  for (const dir of dirs.splice(0)) await rm(dir, { recursive: true, force: true });
});

async function put(root: string, relativePath: string, content: string | Uint8Array): Promise<void> {
  await mkdir(dirname(join(root, relativePath)), { recursive: true });
  await writeFile(join(root, relativePath), content);
}

// A real codec (gzip) standing in for zstd: the source only relies on the Codec contract.
const gzipCodec: Codec = {
  backend: "gzip-test",
  encode: async (input) => gzipSync(input),
  decode: async (input) => gunzipSync(input),
};

const json = (value: unknown): string => JSON.stringify(value, null, 2);
const template = (id: string, version: string): AgentTemplate => ({ schemaVersion: 1, id, version, name: id });

// Writes the first version of each id as `<id>.json` and the others as `<id>@<version>.json`,
// alternating plain and encoded files, so the suite exercises every naming form.
testTemplateSource("directorySource", async (templates) => {
  const root = await tempDir();
  const seen = new Set<string>();
  let index = 0;
  for (const entry of templates) {
    const encoded = index++ % 2 === 1;
    const name = seen.has(entry.id) ? `${entry.id}@${entry.version}` : entry.id;
    seen.add(entry.id);
    await put(root, `${name}.json${encoded ? ".zst" : ""}`, encoded ? gzipSync(json(entry)) : json(entry));
  }
  return directorySource(root, { codec: gzipCodec });
});

describe("directorySource", () => {
  it("refuses a file whose id does not match its path, naming both", async () => {
    const root = await tempDir();
    await put(root, "security/auditor.json", json(template("security/other", "1.0.0")));
    const source = directorySource(root);
    const error = await source.get("security/auditor").catch((caught: unknown) => caught);
    expect(NextGenError.is(error, "NG_ERR_SOURCE_ID_MISMATCH")).toBe(true);
    expect((error as Error).message).toContain('"security/other"');
    expect((error as Error).message).toContain('"security/auditor"');
    await expect(source.list()).rejects.toThrow(/security\/other/);
  });

  it("refuses an @version file whose version does not match its name", async () => {
    const root = await tempDir();
    await put(root, "security/auditor@2.0.0.json", json(template("security/auditor", "2.1.0")));
    const error = await directorySource(root)
      .get("security/auditor", "2.0.0")
      .catch((caught: unknown) => caught);
    expect(NextGenError.is(error, "NG_ERR_SOURCE_ID_MISMATCH")).toBe(true);
    expect((error as Error).message).toMatch(/"2\.1\.0".*"2\.0\.0"/);
  });

  it("refuses a .json.zst without a codec with a coded error that says what to pass", async () => {
    const root = await tempDir();
    await put(root, "a/b.json.zst", gzipSync(json(template("a/b", "1.0.0"))));
    const error = await directorySource(root)
      .get("a/b")
      .catch((caught: unknown) => caught);
    expect(NextGenError.is(error, "NG_ERR_SOURCE_CODEC_REQUIRED")).toBe(true);
    expect((error as Error).message).toContain("codec");
  });

  it("decodes .json.zst with the codec", async () => {
    const root = await tempDir();
    await put(root, "a/c.json.zst", gzipSync(json(template("a/c", "3.0.0"))));
    const source = directorySource(root, { codec: gzipCodec });
    expect((await source.get("a/c"))?.location).toBe(join(root, "a/c.json.zst"));
  });

  it("refuses <id>.json beside <id>.json.zst as ambiguous, in get and list, naming both files", async () => {
    const root = await tempDir();
    await put(root, "a/b.json.zst", gzipSync(json({ ...template("a/b", "1.0.0"), name: "zst" })));
    await put(root, "a/b.json", json({ ...template("a/b", "1.0.0"), name: "plain" }));
    await put(root, "a/c@2.0.0.json", json(template("a/c", "2.0.0")));
    await put(root, "a/c@2.0.0.json.zst", gzipSync(json(template("a/c", "2.0.0"))));
    const source = directorySource(root, { codec: gzipCodec });
    const error = await source.get("a/b").catch((caught: unknown) => caught);
    expect(NextGenError.is(error, "NG_ERR_SOURCE_AMBIGUOUS")).toBe(true);
    expect((error as Error).message).toContain(join(root, "a/b.json"));
    expect((error as Error).message).toContain(join(root, "a/b.json.zst"));
    await expect(source.get("a/c", "2.0.0")).rejects.toSatisfy((caught) =>
      NextGenError.is(caught, "NG_ERR_SOURCE_AMBIGUOUS"),
    );
    await expect(source.list()).rejects.toSatisfy((caught) => NextGenError.is(caught, "NG_ERR_SOURCE_AMBIGUOUS"));
  });

  it("refuses oversize files before decoding them", async () => {
    const root = await tempDir();
    await put(root, "a/b.json", json({ ...template("a/b", "1.0.0"), description: "x".repeat(2_000) }));
    const error = await directorySource(root, { maxBytes: 1_000 })
      .get("a/b")
      .catch((caught: unknown) => caught);
    expect(NextGenError.is(error, "NG_ERR_TEMPLATE_TOO_LARGE")).toBe(true);
  });

  it("ignores files that are not templates (root files, manifests, dotfiles)", async () => {
    const root = await tempDir();
    await put(root, "trust.json", "{}");
    await put(root, "a/b.manifest.json", "{}");
    await put(root, "a/.hidden.json", "{}");
    await put(root, "a/README.md", "# hi");
    await put(root, "a/b.json", json(template("a/b", "1.0.0")));
    expect(await directorySource(root).list()).toEqual([{ id: "a/b", version: "1.0.0" }]);
  });

  // Root reads anything, so the permission cannot fail there.
  it.skipIf(process.getuid?.() === 0)("reports an unreadable file as NG_ERR_SOURCE_READ with the cause", async () => {
    const root = await tempDir();
    await put(root, "a/b.json", json(template("a/b", "1.0.0")));
    await chmod(join(root, "a/b.json"), 0o000);
    const error = await directorySource(root)
      .get("a/b")
      .catch((caught: unknown) => caught);
    expect(NextGenError.is(error, "NG_ERR_SOURCE_READ")).toBe(true);
    expect((error as Error & { cause: { code: string } }).cause.code).toBe("EACCES");
  });

  it("refuses a directory where a file should be with NG_ERR_SOURCE_NOT_A_FILE naming it", async () => {
    const root = await tempDir();
    await mkdir(join(root, "a/b.json"), { recursive: true });
    const error = await directorySource(root)
      .get("a/b")
      .catch((caught: unknown) => caught);
    expect(NextGenError.is(error, "NG_ERR_SOURCE_NOT_A_FILE")).toBe(true);
    expect((error as Error).message).toContain(join(root, "a/b.json"));
  });

  it("reports a missing root as NG_ERR_SOURCE_UNAVAILABLE from get, list and check, not as not found", async () => {
    const missing = join(await tempDir(), "missing");
    const source = directorySource(missing);
    const unavailable = (error: unknown) => NextGenError.is(error, "NG_ERR_SOURCE_UNAVAILABLE");
    await expect(source.get("a/b")).rejects.toSatisfy(unavailable);
    await expect(source.list()).rejects.toSatisfy(unavailable);
    await expect(source.check!()).rejects.toSatisfy(unavailable);
    const error = (await source.get("a/b").catch((caught: unknown) => caught)) as Error;
    expect(error.message).toContain(missing);
    expect(error.message).toContain("ENOENT");
    // A root that exists but lacks the namespace folder: the template is simply not there.
    expect(await directorySource(await tempDir()).get("a/b")).toBeUndefined();
  });

  it("refuses invalid JSON with NG_ERR_TEMPLATE_PARSE naming the file", async () => {
    const root = await tempDir();
    await put(root, "a/b.json", "{ not json");
    await expect(directorySource(root).get("a/b")).rejects.toThrow(/a\/b\.json/);
  });

  it("validates its options", () => {
    expect(() => directorySource("")).toThrow(/dir/);
    expect(() => directorySource(".", { maxBytes: 0 })).toThrow(/options\.maxBytes/);
    expect(() => directorySource(".", { codec: {} as Codec })).toThrow(/options\.codec/);
    expect(() => directorySource(".", { reads: "mmap" as "sync" })).toThrow(/options\.reads/);
  });
});

describe("a factory on a missing templates directory", () => {
  it("refuses creates with NG_ERR_SOURCE_UNAVAILABLE and reports the source unhealthy, not 'template not found'", async () => {
    const { createAgentFactory } = await import("../factory/create-agent-factory.js");
    const { CoordinatorAgent } = await import("../factory/test-kinds.js");
    const { allowListVerifier } = await import("../cache/allow-list-verifier.js");
    const { memoryTier } = await import("../cache/memory-tier.js");
    const missing = join(await tempDir(), "not-mounted");
    for (const cache of [undefined, { layers: [memoryTier()] }]) {
      const factory = createAgentFactory({
        source: directorySource(missing),
        trust: allowListVerifier([]),
        kinds: { coordinator: CoordinatorAgent },
        ...(cache === undefined ? {} : { cache }),
      });
      const error = await factory.create("analysis/coordinator").catch((caught: unknown) => caught);
      expect(NextGenError.is(error, "NG_ERR_SOURCE_UNAVAILABLE")).toBe(true);
      const health = await factory.health();
      const source = health.components.find((component) => component.name === "source");
      expect(source?.status).toBe("unhealthy");
      expect(source?.reason).toMatch(/unavailable \(ENOENT\)/);
      await factory.close();
    }
  });
});

describe("directorySource folder listings", () => {
  const hourAgo = () => new Date(Date.now() - 3_600_000);

  it("sees a version added to, and a file removed from, a folder whose listing it kept", async () => {
    const root = await tempDir();
    await put(root, "security/auditor.json", json(template("security/auditor", "1.0.0")));
    await utimes(join(root, "security"), hourAgo(), hourAgo());
    const source = directorySource(root);
    expect((await source.get("security/auditor"))?.version).toBe("1.0.0");
    expect((await source.get("security/auditor"))?.version).toBe("1.0.0");

    await put(root, "security/auditor@2.0.0.json", json(template("security/auditor", "2.0.0")));
    expect((await source.get("security/auditor"))?.version).toBe("2.0.0");
    expect((await source.latest?.("security/auditor"))?.version).toBe("2.0.0");

    await utimes(join(root, "security"), hourAgo(), hourAgo());
    expect((await source.get("security/auditor"))?.version).toBe("2.0.0");
    await rm(join(root, "security/auditor@2.0.0.json"));
    expect((await source.get("security/auditor"))?.version).toBe("1.0.0");
    expect(await source.get("security/auditor", "2.0.0")).toBeUndefined();
  });

  it("sees a folder replaced under it (a deploy that swaps the namespace folder)", async () => {
    const root = await tempDir();
    await put(root, "security/auditor.json", json(template("security/auditor", "1.0.0")));
    await utimes(join(root, "security"), hourAgo(), hourAgo());
    const source = directorySource(root);
    expect((await source.get("security/auditor"))?.version).toBe("1.0.0");

    await put(root, "next/security/auditor@3.0.0.json", json(template("security/auditor", "3.0.0")));
    await utimes(join(root, "next/security"), hourAgo(), hourAgo());
    await rm(join(root, "security"), { recursive: true });
    await rename(join(root, "next/security"), join(root, "security"));
    expect((await source.get("security/auditor"))?.version).toBe("3.0.0");
  });

  it("refuses a kept file replaced by a symlink leaving the root, and never echoes what it points to", async () => {
    const root = await tempDir();
    const outside = await tempDir();
    await writeFile(join(outside, "secret.json"), json(template("security/auditor", "9.9.9")));
    await put(root, "security/auditor.json", json(template("security/auditor", "1.0.0")));
    await utimes(join(root, "security"), hourAgo(), hourAgo());
    const source = directorySource(root);
    expect((await source.get("security/auditor"))?.version).toBe("1.0.0");

    await rm(join(root, "security/auditor.json"));
    await symlink(join(outside, "secret.json"), join(root, "security/auditor.json"));
    await utimes(join(root, "security"), hourAgo(), hourAgo());
    const error = await source.get("security/auditor").catch((caught: unknown) => caught);
    expect(NextGenError.is(error, "NG_ERR_SOURCE_OUTSIDE_ROOT")).toBe(true);
    expect((error as Error).message).not.toContain("9.9.9");
  });
});
