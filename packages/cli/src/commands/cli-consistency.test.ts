// Issue 12 items 16 and 17 (pack): one spelling per flag across commands, path arguments never
// swallowed by a flag, one stderr line naming the NG_ERR code per failure, a clear message for
// a public key passed to sign, and pack replacing each .json with its .json.zst.
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { defaultDictionary, dictionaryId } from "@nextgen/compression";
import { scanFrames } from "@nextgen/compression/internal";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { runCli as run } from "../test-support/run-cli.js";

const template = (id: string) => ({
  schemaVersion: 1,
  id,
  version: "1.0.0",
  name: id,
  role: "specialist",
  description: `Agent ${id}`,
});

let directory: string;
let templates: string;
let dictionary: string;
beforeEach(async () => {
  directory = await mkdtemp(join(tmpdir(), "nextgen-cli-consistency-"));
  templates = join(directory, "templates");
  await mkdir(join(templates, "qa"), { recursive: true });
  for (const name of ["alpha", "beta"]) {
    await writeFile(join(templates, "qa", `${name}.json`), JSON.stringify(template(`qa/${name}`)));
  }
  dictionary = join(directory, "shipped.zdict");
  await writeFile(dictionary, await defaultDictionary());
});
afterEach(async () => {
  await rm(directory, { recursive: true, force: true });
});

const stderrLines = (stderr: string): string[] => stderr.split("\n").filter((line) => line.length > 0);

describe("the dictionary flag", () => {
  it("is -D/--dictionary <file> on every command that reads zstd, and takes one value, so paths after it stay paths", async () => {
    for (const command of ["sign", "verify", "validate", "inspect", "pack", "unpack"]) {
      const help = await run(command, "--help");
      expect(help.stdout, command).toMatch(/-D, --dictionary <file>/);
      expect(help.stdout, command).not.toMatch(/--dict </);
      expect(help.stdout, command).not.toMatch(/<file\.\.\.>/);
    }
    // With the old variadic `--dictionary <file...>`, `templates` became a second dictionary.
    const validated = await run("validate", "--dictionary", dictionary, templates);
    expect(validated.stderr).toBe("");
    expect(validated.exitCode).toBe(0);
    expect(validated.stdout).toMatch(/^ok\s+\S+alpha\.json/m);
    const repeated = await run("validate", "-D", dictionary, "-D", dictionary, join(templates, "qa", "beta.json"));
    expect(repeated.exitCode).toBe(0);
  });

  it("keeps --dict on pack and unpack as a deprecated alias that warns", async () => {
    const file = join(templates, "qa", "alpha.json");
    const packed = await run("pack", "--dict", dictionary, file);
    expect(packed.exitCode).toBe(0);
    expect(stderrLines(packed.stderr)).toEqual(["nextgen: warning: --dict is deprecated; use --dictionary (-D)"]);
    const unpacked = await run("unpack", "--dict", dictionary, `${file}.zst`);
    expect(unpacked.exitCode).toBe(0);
    expect(unpacked.stderr).toMatch(/--dict is deprecated/);
  });
});

describe("pack", () => {
  it("replaces each .json with its .json.zst, encoded with the shipped default dictionary", async () => {
    const packed = await run("pack", templates, "--json");
    expect(packed.exitCode, packed.stderr).toBe(0);
    expect(JSON.parse(packed.stdout)).toMatchObject([{ kept: false }, { kept: false }]);
    expect((await readdir(join(templates, "qa"))).sort()).toEqual(["alpha.json.zst", "beta.json.zst"]);
    const frame = new Uint8Array(await readFile(join(templates, "qa", "alpha.json.zst")));
    expect(scanFrames(frame)[0]!.dictionaryId).toBe(dictionaryId(await defaultDictionary()));
    // The packed tree is what sign, verify and validate read, with no flag at all.
    expect((await run("validate", templates)).exitCode).toBe(0);
    const unpacked = await run("unpack", join(templates, "qa", "alpha.json.zst"));
    expect(unpacked.exitCode, unpacked.stderr).toBe(0);
    expect(JSON.parse(await readFile(join(templates, "qa", "alpha.json"), "utf8"))).toEqual(template("qa/alpha"));
  });

  it("keeps the .json with --keep, and never removes it when the .zst could not be written", async () => {
    const file = join(templates, "qa", "alpha.json");
    expect((await run("pack", "--keep", file)).exitCode).toBe(0);
    expect((await readdir(join(templates, "qa"))).sort()).toEqual(["alpha.json", "alpha.json.zst", "beta.json"]);
    const again = await run("pack", file);
    expect(again.exitCode).toBe(1);
    expect(again.stderr).toMatch(/already exists \(add --force/);
    expect((await readdir(join(templates, "qa"))).sort()).toEqual(["alpha.json", "alpha.json.zst", "beta.json"]);
  });
});

describe("signing key id and signing key", () => {
  it("backup archive takes --kid; --key-id still works, with a deprecation warning", async () => {
    const locations = [
      "--source",
      templates,
      "--repository",
      join(directory, "repo"),
      "--archives",
      join(directory, "a"),
    ];
    const withKid = await run("backup", "archive", ...locations, "--kid", "backup-2026");
    expect(withKid.exitCode).toBe(1);
    expect(stderrLines(withKid.stderr)).toEqual([
      expect.stringMatching(/^nextgen: NG_ERR_OPTIONS_INVALID: --kid names the key of --key-file/),
    ]);
    const withKeyId = await run("backup", "archive", ...locations, "--key-id", "backup-2026");
    expect(stderrLines(withKeyId.stderr)).toEqual([
      "nextgen: warning: --key-id is deprecated; use --kid",
      expect.stringMatching(/^nextgen: NG_ERR_OPTIONS_INVALID: --kid names the key of --key-file/),
    ]);
    expect((await run("backup", "archive", "--help")).stdout).toMatch(/--kid <id>/);
  });

  it("a public JWK (or public PEM) as sign --key says it is a public key and a private one is needed, on one line", async () => {
    const key = join(directory, "release.pem");
    const generated = await run("keygen", "--kid", "release-2026", "--out", key);
    const publicJwk = join(directory, "release.jwk.json");
    await writeFile(publicJwk, generated.stdout);
    const refused = await run("sign", templates, "--key", publicJwk, "--kid", "release-2026");
    expect(refused.exitCode).toBe(1);
    expect(stderrLines(refused.stderr)).toEqual([
      expect.stringMatching(
        /^nextgen: NG_ERR_OPTIONS_INVALID: --key \S+release\.jwk\.json is a public key .*needs the private key: the PEM file nextgen keygen wrote with --out/,
      ),
    ]);
    const { createPublicKey } = await import("node:crypto");
    const publicPem = join(directory, "release.pub.pem");
    await writeFile(publicPem, createPublicKey(await readFile(key, "utf8")).export({ type: "spki", format: "pem" }));
    expect((await run("sign", templates, "--key", publicPem, "--kid", "release-2026")).stderr).toMatch(
      /NG_ERR_OPTIONS_INVALID: --key \S+release\.pub\.pem is a public key/,
    );
    const missing = await run("sign", templates, "--key", join(directory, "nope.pem"), "--kid", "release-2026");
    expect(stderrLines(missing.stderr)).toEqual([
      expect.stringMatching(/^nextgen: NG_ERR_OPTIONS_INVALID: --key cannot read \S+nope\.pem \(ENOENT\)/),
    ]);
  });
});

describe("failures are one stderr line each, naming the NG_ERR code", () => {
  it("sign: one line per file not signed, a multi-line validation message joined", async () => {
    const key = join(directory, "release.pem");
    await run("keygen", "--kid", "release-2026", "--out", key);
    await writeFile(join(templates, "qa", "broken.json"), JSON.stringify({ ...template("qa/broken"), tols: [], x: 1 }));
    await writeFile(join(templates, "qa", "garbled.json"), "{ not json");
    const signed = await run("sign", templates, "--key", key, "--kid", "release-2026");
    expect(signed.exitCode).toBe(1);
    const lines = stderrLines(signed.stderr);
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatch(/^nextgen: \S+broken\.json: NG_ERR_TEMPLATE_INVALID: not signed: .*\/tols.*; .*\/x/);
    expect(lines[1]).toMatch(/^nextgen: \S+garbled\.json: NG_ERR_TEMPLATE_\w+: not signed: /);
    expect(signed.stdout).toBe("signed 2 of 4 template(s) with release-2026\n");
  });

  it("verify: one line per refused template, with its code", async () => {
    const trust = join(directory, "trust.json");
    expect((await run("trust", "init", "--file", trust)).exitCode).toBe(0);
    await writeFile(join(templates, "qa", "garbled.json"), "{ not json");
    const verified = await run("verify", templates, "--trust", trust);
    expect(verified.exitCode).toBe(1);
    const lines = stderrLines(verified.stderr);
    expect(lines).toHaveLength(3);
    expect(lines[0]).toMatch(/^nextgen: \S+alpha\.json: NG_ERR_SIGNATURE_MISSING: /);
    expect(lines[1]).toMatch(/^nextgen: \S+beta\.json: NG_ERR_SIGNATURE_MISSING: /);
    expect(lines[2]).toMatch(/^nextgen: \S+garbled\.json: NG_ERR_TEMPLATE_\w+: /);
  });
});
