import { generateKeyPairSync } from "node:crypto";
import { mkdtemp, readFile, rm, stat, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createZstdCodec, defaultDictionary } from "@nextgen/compression";
import { localKeySigner, parseTemplate, signTemplate, templateDigest } from "@nextgen/core";
import { canonicalTemplateBytes } from "@nextgen/core/internal";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { runCli } from "../test-support/run-cli.js";

const AUDITOR = join(import.meta.dirname, "../../../../examples/templates/security/auditor.json");

let directory: string;
beforeEach(async () => {
  directory = await mkdtemp(join(tmpdir(), "nextgen-cli-inspect-"));
});
afterEach(async () => {
  await rm(directory, { recursive: true, force: true });
});

async function signedAuditor() {
  const { privateKey } = generateKeyPairSync("ed25519");
  const template = parseTemplate(await readFile(AUDITOR));
  return signTemplate(template, localKeySigner({ keyId: "release-2026", key: privateKey }), {
    clock: { now: () => Date.UTC(2026, 0, 2, 3, 4, 5) },
    expiresAt: new Date(Date.UTC(2027, 0, 1)),
  });
}

describe("nextgen inspect", () => {
  it("shows a signed template's fields, digest and decoded (unverified) signature header", async () => {
    const signed = await signedAuditor();
    const file = join(directory, "auditor.json");
    await writeFile(file, JSON.stringify(signed, null, 2));

    const text = await runCli("inspect", file);
    expect(text).toMatchObject({ exitCode: 0, stderr: "" });
    expect(text.stdout).toMatch(/^id\s+security\/auditor$/m);
    expect(text.stdout).toMatch(/^extends\s+base\/specialist$/m);
    expect(text.stdout).toMatch(/^tools\s+secret-scan, dependency-audit$/m);
    expect(text.stdout).toContain(`digest          ${templateDigest(signed)}`);
    expect(text.stdout).toMatch(/^signatures\s+1, not verified \(use nextgen verify\)$/m);
    expect(text.stdout).toContain(
      "[0] alg=EdDSA kid=release-2026 typ=nextgen-template+jws iat=2026-01-02T03:04:05.000Z exp=2027-01-01T00:00:00.000Z",
    );

    const json = await runCli("inspect", file, "--json");
    expect(json.exitCode).toBe(0);
    const report = JSON.parse(json.stdout);
    expect(report).toMatchObject({
      id: "security/auditor",
      version: signed.version,
      name: "Security Auditor",
      domain: "security",
      digest: templateDigest(signed),
      canonicalBytes: canonicalTemplateBytes(signed).byteLength,
      fileBytes: (await stat(file)).size,
      config: signed.config,
      metadata: signed.metadata,
      signatures: {
        verified: false,
        note: "not verified (use nextgen verify)",
        headers: [{ alg: "EdDSA", kid: "release-2026", typ: "nextgen-template+jws" }],
      },
    });
    expect(report.compression).toBeUndefined();
  });

  it("decodes a .json.zst and reports the frame's dictionary id and both sizes", async () => {
    const codec = createZstdCodec({ dictionaries: [await defaultDictionary()] });
    const bytes = await readFile(AUDITOR);
    const frame = await codec.encode(new Uint8Array(bytes));
    const file = join(directory, "auditor.json.zst");
    await writeFile(file, frame);

    const result = await runCli("inspect", file, "--json");
    expect(result.exitCode).toBe(0);
    const report = JSON.parse(result.stdout);
    expect(report.digest).toBe(templateDigest(parseTemplate(bytes)));
    expect(report.fileBytes).toBe(frame.byteLength);
    expect(report.compression).toEqual({
      format: "zstd",
      dictionaryId: codec.encodeDictionaryId,
      decodedBytes: bytes.byteLength,
    });
    expect(codec.encodeDictionaryId).toBeGreaterThan(0);
    const text = await runCli("inspect", file);
    expect(text.stdout).toContain(
      `(zstd, dictionary id ${codec.encodeDictionaryId}, ${bytes.byteLength} bytes decoded)`,
    );
  });

  it("refuses malformed input with its coded error and exit code 1", async () => {
    const duplicate = join(directory, "dup.json");
    await writeFile(duplicate, '{"schemaVersion":1,"id":"a/b","id":"a/c","version":"1.0.0"}');
    const refused = await runCli("inspect", duplicate);
    expect(refused.exitCode).toBe(1);
    expect(refused.stdout).toBe("");
    expect(refused.stderr).toMatch(/^nextgen: \S+dup\.json: NG_ERR_TEMPLATE_DUPLICATE_KEY: /);

    const corrupt = join(directory, "bad.json.zst");
    await writeFile(corrupt, new Uint8Array([0x28, 0xb5, 0x2f, 0xfd, 0x00]));
    const broken = await runCli("inspect", corrupt);
    expect(broken.exitCode).toBe(1);
    expect(broken.stderr).toContain("NG_ERR_CODEC_CORRUPT");
  });

  it("documents itself, saying signatures are decoded, not verified", async () => {
    const help = await runCli("inspect", "--help");
    expect(help.exitCode).toBe(0);
    expect(help.stdout).toContain("not verified (use nextgen verify)");
    expect(help.stdout).toContain("nextgen inspect templates/security/auditor.json");
    expect(help.stdout).toContain("--json");
  });
});
