// The CLI side of the hardening (#11) and first-use (#12) issues: each test builds the
// attack or the mistake and asserts the coded refusal.
import { generateKeyPairSync } from "node:crypto";
import { mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { runCli as run } from "../test-support/run-cli.js";

const template = (id: string, version = "1.0.0", tools: string[] = []) => ({
  schemaVersion: 1,
  id,
  version,
  name: id,
  role: "specialist",
  description: `Agent ${id}`,
  tools,
});

let directory: string;
let trust: string;
beforeEach(async () => {
  directory = await mkdtemp(join(tmpdir(), "nextgen-cli-hardening-"));
  trust = join(directory, "trust.json");
  expect((await run("trust", "init", "--file", trust)).exitCode).toBe(0);
});
afterEach(async () => {
  await rm(directory, { recursive: true, force: true });
});

/** keygen + add-key; returns the private key file. */
async function addKey(kid: string): Promise<string> {
  const key = join(directory, `${kid}.pem`);
  const generated = await run("keygen", "--kid", kid, "--out", key);
  await writeFile(join(directory, `${kid}.jwk`), generated.stdout);
  expect((await run("trust", "add-key", join(directory, `${kid}.jwk`), "--file", trust)).exitCode).toBe(0);
  return key;
}

describe("nextgen trust refuses", () => {
  it("an RSA key whose exponent is not 65537 (#11.9)", async () => {
    const { publicKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
    for (const e of ["AQ", "Aw"]) {
      const jwk = { ...publicKey.export({ format: "jwk" }), e, kid: `weak-${e}`, alg: "RS256" };
      await writeFile(join(directory, "weak.jwk"), JSON.stringify(jwk));
      const before = await readFile(trust, "utf8");
      const result = await run("trust", "add-key", join(directory, "weak.jwk"), "--file", trust);
      expect(result.exitCode).toBe(1);
      expect(result.stderr).toContain("NG_ERR_TRUST_POLICY_INVALID");
      expect(result.stderr).toMatch(/RSA keys must use e = 65537/);
      expect(await readFile(trust, "utf8")).toBe(before);
    }
  });

  it("the same key material under a second kid (#11.10)", async () => {
    await addKey("release");
    const jwk = JSON.parse(await readFile(join(directory, "release.jwk"), "utf8"));
    await writeFile(join(directory, "twin.jwk"), JSON.stringify({ ...jwk, kid: "release-copy" }));
    const result = await run("trust", "add-key", join(directory, "twin.jwk"), "--file", trust);
    expect(result.exitCode).toBe(1);
    expect(result.stderr).toContain("NG_ERR_TRUST_POLICY_INVALID");
    expect(result.stderr).toContain('same key material as kid "release"');
    expect(JSON.parse(await readFile(trust, "utf8")).keys).toHaveLength(1);
  });

  it("revoking a kid the policy does not list (#11.11)", async () => {
    await addKey("release-2026");
    const before = await readFile(trust, "utf8");
    const result = await run("trust", "revoke", "release-2062", "--file", trust);
    expect(result.exitCode).toBe(1);
    expect(result.stderr).toContain("NG_ERR_TRUST_POLICY_INVALID");
    expect(result.stderr).toContain('has no key "release-2062" to revoke (its keys: release-2026)');
    expect(await readFile(trust, "utf8")).toBe(before);
    expect((await run("trust", "revoke", "release-2026", "--file", trust)).exitCode).toBe(0);
    expect(JSON.parse(await readFile(trust, "utf8")).revoked).toEqual(["release-2026"]);
  });

  it("editing a trust.json with a duplicate member, naming line:column (#11.12)", async () => {
    await addKey("release");
    const text = (await readFile(trust, "utf8")).replace('"revoked": []', '"revoked": ["release"],\n  "revoked": []');
    await writeFile(trust, text);
    const result = await run("trust", "revoke", "release", "--file", trust);
    expect(result.exitCode).toBe(1);
    expect(result.stderr).toMatch(/NG_ERR_TRUST_POLICY_INVALID: .*trust\.json:\d+:3: duplicate key "revoked"/);
    expect(await readFile(trust, "utf8")).toBe(text);
  });
});

describe("nextgen trust reset-mark (#12.10)", () => {
  it("needs --force, names what it removes on stderr, and leaves other marks alone", async () => {
    const state = join(directory, "trust.state.json");
    const digest = `sha256:${"b".repeat(64)}`;
    const marks = {
      "security/auditor": { version: "3.0.0-alpha.1", digest },
      "security/scanner": { version: "1.0.0", digest },
    };
    await writeFile(state, JSON.stringify({ version: 1, marks }));
    const refused = await run("trust", "reset-mark", "security/auditor", "--state", state);
    expect(refused.exitCode).toBe(1);
    expect(refused.stderr).toMatch(/NG_ERR_TRUST_STATE: refusing to reset .* without --force/);
    expect(JSON.parse(await readFile(state, "utf8")).marks).toEqual(marks);

    const reset = await run("trust", "reset-mark", "security/auditor", "--state", state, "--force");
    expect(reset.exitCode).toBe(0);
    expect(reset.stderr).toMatch(
      /^nextgen: audit: reset the rollback mark of security\/auditor \(was 3\.0\.0-alpha\.1, sha256:b+\)/,
    );
    expect(JSON.parse(await readFile(state, "utf8")).marks).toEqual({ "security/scanner": marks["security/scanner"] });

    const unknown = await run("trust", "reset-mark", "security/auditor", "--state", state, "--force");
    expect(unknown.exitCode).toBe(1);
    expect(unknown.stderr).toContain("NG_ERR_TRUST_STATE");
    expect(unknown.stderr).toContain("holds no rollback mark for security/auditor");
  });
});

describe("nextgen sign", () => {
  it("refuses changed content under an already-signed version unless --allow-same-version (#12.11)", async () => {
    const key = await addKey("release");
    const file = join(directory, "auditor.json");
    await writeFile(file, JSON.stringify(template("security/auditor")));
    expect((await run("sign", file, "--key", key, "--kid", "release")).exitCode).toBe(0);
    // Re-signing unchanged content is fine (a new iat).
    expect((await run("sign", file, "--key", key, "--kid", "release")).exitCode).toBe(0);

    const edited = JSON.parse(await readFile(file, "utf8"));
    edited.tools = ["shell-exec"];
    await writeFile(file, JSON.stringify(edited));
    const refused = await run("sign", file, "--key", key, "--kid", "release");
    expect(refused.exitCode).toBe(1);
    expect(refused.stderr).toContain("NG_ERR_SIGNATURE_VERSION_REUSED");
    expect(refused.stderr).toContain("Bump `version` and sign again");
    expect(JSON.parse(await readFile(file, "utf8"))).toEqual(edited);

    expect((await run("sign", file, "--key", key, "--kid", "release", "--allow-same-version")).exitCode).toBe(0);
    expect((await run("verify", file, "--trust", trust)).exitCode).toBe(0);
  });

  it("with --trust, checks the signing key against the policy before writing (#12.16)", async () => {
    const release = await addKey("release");
    await addKey("sec-a");
    expect((await run("trust", "delegate", "security/*", "--keys", "sec-a", "--file", trust)).exitCode).toBe(0);
    const file = join(directory, "auditor.json");
    const original = JSON.stringify(template("security/auditor"));
    await writeFile(file, original);

    const notDelegated = await run("sign", file, "--key", release, "--kid", "release", "--trust", trust);
    expect(notDelegated.exitCode).toBe(1);
    expect(notDelegated.stderr).toContain("NG_ERR_SIGNATURE_NOT_DELEGATED");
    expect(await readFile(file, "utf8")).toBe(original);

    const unknown = await run("sign", file, "--key", release, "--kid", "nobody", "--trust", trust);
    expect(unknown.exitCode).toBe(1);
    expect(unknown.stderr).toContain("NG_ERR_SIGNATURE_KEY_UNKNOWN");

    // The right kid, the wrong private key.
    const wrongKey = await run("sign", file, "--key", release, "--kid", "sec-a", "--trust", trust);
    expect(wrongKey.exitCode).toBe(1);
    expect(wrongKey.stderr).toContain("NG_ERR_TRUST_KEY_INVALID");
    expect(await readFile(file, "utf8")).toBe(original);

    expect(
      (await run("sign", file, "--key", join(directory, "sec-a.pem"), "--kid", "sec-a", "--trust", trust)).exitCode,
    ).toBe(0);
  });
});

describe("nextgen verify applies the factory's id↔path rule (#11.16)", () => {
  it("refuses a validly signed template at a path a directory source would not serve it from", async () => {
    const key = await addKey("release");
    const templates = join(directory, "templates");
    await mkdir(join(templates, "security"), { recursive: true });
    await writeFile(join(templates, "security", "auditor.json"), JSON.stringify(template("security/auditor")));
    await writeFile(join(templates, "security", "notes.json"), JSON.stringify(template("security/auditor", "2.0.0")));
    await writeFile(
      join(templates, "security", "scanner@1.0.0.json"),
      JSON.stringify(template("security/scanner", "1.1.0")),
    );
    expect((await run("sign", templates, "--key", key, "--kid", "release")).exitCode).toBe(0);
    const result = await run("verify", templates, "--trust", trust, "--json");
    expect(result.exitCode).toBe(1);
    const byFile = Object.fromEntries(
      JSON.parse(result.stdout).results.map((entry: { file: string }) => [
        entry.file.slice(templates.length + 1),
        entry,
      ]),
    );
    expect(byFile["security/auditor.json"]).toMatchObject({ verdict: "accepted" });
    expect(byFile["security/notes.json"]).toMatchObject({
      verdict: "refused",
      code: "NG_ERR_SOURCE_ID_MISMATCH",
      reason: "id-path-mismatch",
    });
    expect(byFile["security/scanner@1.0.0.json"]).toMatchObject({
      verdict: "refused",
      code: "NG_ERR_SOURCE_ID_MISMATCH",
    });
    // Verifying a namespace folder (not the source root) applies the same rule to the whole path.
    const folder = await run("verify", join(templates, "security"), "--trust", trust, "--json");
    const inFolder = Object.fromEntries(
      JSON.parse(folder.stdout).results.map((entry: { file: string; code?: string }) => [
        entry.file.slice(templates.length + 1),
        entry.code ?? "ok",
      ]),
    );
    expect(inFolder).toMatchObject({
      "security/auditor.json": "ok",
      "security/notes.json": "NG_ERR_SOURCE_ID_MISMATCH",
      "security/scanner@1.0.0.json": "NG_ERR_SOURCE_ID_MISMATCH",
    });
    // A file named on the command line: its name must be the id's leaf name.
    const single = await run("verify", join(templates, "security", "notes.json"), "--trust", trust, "--json");
    expect(JSON.parse(single.stdout).results[0]).toMatchObject({ code: "NG_ERR_SOURCE_ID_MISMATCH" });
  });
});

describe("human-readable output escapes control characters (#11.17)", () => {
  it("shows a crafted kid's escape sequences as text under inspect and verify", async () => {
    const key = await addKey("release");
    const file = join(directory, "auditor.json");
    await writeFile(file, JSON.stringify(template("security/auditor", "1.0.0", ["shell-exec"])));
    expect((await run("sign", file, "--key", key, "--kid", "release")).exitCode).toBe(0);
    const signed = JSON.parse(await readFile(file, "utf8"));
    const header = JSON.parse(Buffer.from(signed.signatures[0].protected, "base64url").toString("utf8"));
    // Clears the line, returns the cursor and "redraws" a harmless tool list; then a bidi override.
    header.kid = "release\u001b[2K\r\u001b[1Atools           semgrep\u202e\u009b";
    signed.signatures[0].protected = Buffer.from(JSON.stringify(header)).toString("base64url");
    await writeFile(file, JSON.stringify(signed));

    const inspected = await run("inspect", file);
    expect(inspected.exitCode).toBe(0);
    // biome-ignore lint/suspicious/noControlCharactersInRegex: asserting their absence.
    expect(inspected.stdout).not.toMatch(/[\u001b\r\u202e\u009b]/);
    expect(inspected.stdout).toContain("kid=release\\u001b[2K\\u000d\\u001b[1Atools           semgrep\\u202e\\u009b");
    expect(inspected.stdout.split("\n").filter((line) => line.startsWith("tools"))).toEqual([
      "tools           shell-exec",
    ]);

    const json = await run("inspect", file, "--json");
    expect(JSON.parse(json.stdout).signatures.headers[0].kid).toBe(header.kid);

    const verified = await run("verify", file, "--trust", trust);
    // biome-ignore lint/suspicious/noControlCharactersInRegex: asserting their absence.
    expect(verified.stdout + verified.stderr).not.toMatch(/[\u001b\r\u202e\u009b]/);
  });
});
