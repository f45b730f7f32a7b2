import { mkdtemp, readdir, readFile, rm, stat, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { runCli } from "../test-support/run-cli.js";

const run = runCli;

const template = (id: string, version = "1.0.0") => ({
  schemaVersion: 1,
  id,
  version,
  name: id,
  role: "specialist",
  description: `Agent ${id}`,
  tools: [],
});

let directory: string;
beforeEach(async () => {
  directory = await mkdtemp(join(tmpdir(), "nextgen-cli-trust-"));
});
afterEach(async () => {
  await rm(directory, { recursive: true, force: true });
});

describe("nextgen keygen, trust, sign, verify", () => {
  it("signs a tree of templates that verify passes, and refuses a tampered one with its reason", async () => {
    const key = join(directory, "release.pem");
    const trust = join(directory, "trust.json");
    const templates = join(directory, "templates");
    await run("trust", "init", "--file", trust).then((result) => expect(result.exitCode).toBe(0));

    const generated = await run("keygen", "--kid", "release-2026", "--out", key);
    expect(generated.exitCode).toBe(0);
    expect((await stat(key)).mode & 0o777).toBe(0o600);
    const publicJwk = JSON.parse(generated.stdout);
    expect(publicJwk).toMatchObject({ kid: "release-2026", kty: "OKP", crv: "Ed25519", alg: "EdDSA" });
    expect(publicJwk.d).toBeUndefined();
    await writeFile(join(directory, "release.jwk.json"), generated.stdout);
    expect((await run("trust", "add-key", join(directory, "release.jwk.json"), "--file", trust)).exitCode).toBe(0);

    const { mkdir } = await import("node:fs/promises");
    await mkdir(join(templates, "security"), { recursive: true });
    await writeFile(join(templates, "security", "auditor.json"), JSON.stringify(template("security/auditor")));
    await writeFile(join(templates, "security", "scanner.json"), JSON.stringify(template("security/scanner")));

    const signed = await run("sign", templates, "--key", key, "--kid", "release-2026");
    expect(signed).toMatchObject({ exitCode: 0, stdout: "signed 2 of 2 template(s) with release-2026\n" });
    expect(await readdir(join(templates, "security"))).toEqual(["auditor.json", "scanner.json"]);

    const passed = await run("verify", templates, "--trust", trust);
    expect(passed.exitCode).toBe(0);
    expect(passed.stdout).toMatch(/^verdict\s+file\s+template\s+keys \/ reason\n/);
    expect(passed.stdout).toContain("security/auditor@1.0.0");

    const auditorPath = join(templates, "security", "auditor.json");
    const tampered = JSON.parse(await readFile(auditorPath, "utf8"));
    tampered.tools = ["shell"];
    await writeFile(auditorPath, JSON.stringify(tampered));
    const failed = await run("verify", templates, "--trust", trust, "--json");
    expect(failed.exitCode).toBe(1);
    const report = JSON.parse(failed.stdout);
    expect(report.ok).toBe(false);
    expect(report.results).toEqual([
      expect.objectContaining({
        id: "security/auditor",
        verdict: "refused",
        reason: "bad-signature",
        code: "NG_ERR_SIGNATURE_BAD",
      }),
      expect.objectContaining({ id: "security/scanner", verdict: "accepted", keyIds: ["release-2026"] }),
    ]);

    expect((await run("trust", "revoke", "release-2026", "--file", trust)).exitCode).toBe(0);
    const revoked = await run("verify", join(templates, "security", "scanner.json"), "--trust", trust, "--json");
    expect(JSON.parse(revoked.stdout).results[0]).toMatchObject({ reason: "revoked-key" });
  });

  it("delegates ids to a threshold of keys, and co-signing meets it", async () => {
    const trust = join(directory, "trust.json");
    await run("trust", "init", "--file", trust);
    for (const kid of ["sec-a", "sec-b"]) {
      const generated = await run("keygen", "--kid", kid, "--alg", "ES256", "--out", join(directory, `${kid}.pem`));
      await writeFile(join(directory, `${kid}.jwk`), generated.stdout);
      await run("trust", "add-key", join(directory, `${kid}.jwk`), "--file", trust);
    }
    expect(
      (await run("trust", "delegate", "security/*", "--keys", "sec-a,sec-b", "--threshold", "2", "--file", trust))
        .exitCode,
    ).toBe(0);
    expect(JSON.parse(await readFile(trust, "utf8")).delegations).toEqual([
      { ids: ["security/*"], keys: ["sec-a", "sec-b"], threshold: 2 },
    ]);
    const file = join(directory, "auditor.json");
    await writeFile(file, JSON.stringify(template("security/auditor")));
    await run("sign", file, "--key", join(directory, "sec-a.pem"), "--kid", "sec-a");
    expect(JSON.parse((await run("verify", file, "--trust", trust, "--json")).stdout).results[0]).toMatchObject({
      reason: "threshold-not-met",
    });
    await run("sign", file, "--key", join(directory, "sec-b.pem"), "--kid", "sec-b");
    await run("sign", file, "--key", join(directory, "sec-a.pem"), "--kid", "sec-a");
    expect(JSON.parse(await readFile(file, "utf8")).signatures).toHaveLength(2);
    expect((await run("verify", file, "--trust", trust)).exitCode).toBe(0);
  });

  it("refuses edits that would make trust.json invalid, leaving the file as it was", async () => {
    const trust = join(directory, "trust.json");
    await run("trust", "init", "--file", trust);
    const before = await readFile(trust, "utf8");
    const result = await run("trust", "delegate", "security/*", "--keys", "ghost", "--file", trust);
    expect(result.exitCode).not.toBe(0);
    expect(result.stderr).toMatch(/"ghost" is not a kid/);
    expect(await readFile(trust, "utf8")).toBe(before);
    expect((await run("trust", "init", "--file", trust)).stderr).toMatch(/exists/);
  });

  it("never overwrites a private key without --force, and refuses a private JWK in add-key", async () => {
    const key = join(directory, "k.pem");
    await run("keygen", "--out", key);
    expect((await run("keygen", "--out", key)).exitCode).not.toBe(0);
    const trust = join(directory, "trust.json");
    await run("trust", "init", "--file", trust);
    const { generateKeyPairSync } = await import("node:crypto");
    await writeFile(
      join(directory, "private.jwk"),
      JSON.stringify({ ...generateKeyPairSync("ed25519").privateKey.export({ format: "jwk" }), kid: "x" }),
    );
    expect((await run("trust", "add-key", join(directory, "private.jwk"), "--file", trust)).stderr).toMatch(
      /private key/,
    );
  });

  it("signs and verifies .json.zst templates in place (zstd, default dictionary)", async () => {
    const { createZstdCodec, defaultDictionary, readJsonZst, writeJsonZst } = await import("@nextgen/compression");
    const codec = createZstdCodec({ dictionaries: [await defaultDictionary()] });
    const trust = join(directory, "trust.json");
    const key = join(directory, "k.pem");
    await run("trust", "init", "--file", trust);
    const generated = await run("keygen", "--kid", "zst", "--out", key);
    await writeFile(join(directory, "k.jwk"), generated.stdout);
    await run("trust", "add-key", join(directory, "k.jwk"), "--file", trust);
    // Where a directory source over `directory` serves security/auditor from.
    const { mkdir } = await import("node:fs/promises");
    await mkdir(join(directory, "security"));
    const file = join(directory, "security", "auditor.json.zst");
    await writeJsonZst(file, template("security/auditor"), codec);
    expect(await run("sign", directory, "--key", key, "--kid", "zst")).toMatchObject({
      exitCode: 0,
      stdout: "signed 1 of 1 template(s) with zst\n",
    });
    expect((await readJsonZst(file, codec)) as { signatures: unknown[] }).toMatchObject({
      signatures: [expect.any(Object)],
    });
    const verified = await run("verify", directory, "--trust", trust, "--json");
    expect(verified.exitCode).toBe(0);
    expect(JSON.parse(verified.stdout).results).toEqual([
      expect.objectContaining({ file, verdict: "accepted", keyIds: ["zst"] }),
    ]);
  });

  it("exits 1 when a file is not a template, and has --help on every command", async () => {
    const trust = join(directory, "trust.json");
    await run("trust", "init", "--file", trust);
    await writeFile(join(directory, "broken.json"), "{ nope");
    const result = await run("verify", join(directory, "broken.json"), "--trust", trust, "--json");
    expect(result.exitCode).toBe(1);
    expect(JSON.parse(result.stdout).results[0]).toMatchObject({ verdict: "refused", code: "NG_ERR_TEMPLATE_PARSE" });
    for (const command of [
      ["keygen"],
      ["sign"],
      ["verify"],
      ["trust"],
      ["trust", "init"],
      ["trust", "add-key"],
      ["trust", "revoke"],
      ["trust", "delegate"],
    ]) {
      const help = await run(...command, "--help");
      expect(help.stdout, command.join(" ")).toMatch(/^Usage: nextgen /);
    }
  });
});
