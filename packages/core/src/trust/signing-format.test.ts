import { execFileSync } from "node:child_process";
import { createPublicKey } from "node:crypto";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { flattenedVerify } from "jose";
import { afterAll, describe, expect, it } from "vitest";
import type { AgentTemplate } from "../template/types.js";
import { localKeySigner } from "./local-key-signer.js";
import { memoryStateStore } from "./memory-state-store.js";
import { signTemplate } from "./sign-template.js";
import { canonicalTemplateBytes, digestOfBytes } from "./template-bytes.js";
import { trustPolicy } from "./trust-policy.js";
import type { TrustedKey } from "./trust-policy-document.js";

const docs = readFileSync(new URL("../../../../docs/signing.md", import.meta.url), "utf8");
/** The fenced block (or inline code) right after `<!-- vector:<name> -->` in docs/signing.md. */
function vector(name: string): string {
  const match = new RegExp(`<!-- vector:${name} -->\\s*(?:\`\`\`\\w*\\n([\\s\\S]*?)\\n\`\`\`|\`([^\`]+)\`)`).exec(docs);
  if (match === null) throw new Error(`docs/signing.md has no vector "${name}"`);
  return (match[1] ?? match[2])!;
}
const vectorTime = Date.parse("2026-01-15T12:00:00Z");

describe("docs/signing.md test vector", () => {
  const publicJwk = JSON.parse(vector("public-jwk")) as TrustedKey;
  const signed = JSON.parse(vector("signed-template")) as AgentTemplate;
  const entry = signed.signatures![0]!;

  it("has the documented canonical bytes, digest, header and signing input", () => {
    const canonical = canonicalTemplateBytes(signed);
    expect(new TextDecoder().decode(canonical)).toBe(vector("canonical"));
    expect(digestOfBytes(canonical)).toBe(vector("digest"));
    expect(JSON.parse(Buffer.from(entry.protected, "base64url").toString())).toEqual(JSON.parse(vector("header")));
    expect(`${entry.protected}.${Buffer.from(canonical).toString("base64url")}`).toBe(vector("signing-input"));
  });

  it("verifies with plain jose and with a trust policy", async () => {
    const payload = Buffer.from(canonicalTemplateBytes(signed)).toString("base64url");
    await flattenedVerify({ ...entry, payload }, createPublicKey({ key: publicJwk as never, format: "jwk" }), {
      algorithms: ["EdDSA"],
    });
    const policy = trustPolicy(
      { version: 1, keys: [publicJwk] },
      { clock: { now: () => vectorTime }, stateStore: memoryStateStore() },
    );
    await expect(policy.verify(signed)).resolves.toMatchObject({ keyIds: ["example-2026"], digest: vector("digest") });
  });

  it("is reproduced byte for byte by signTemplate with the published key (Ed25519 is deterministic)", async () => {
    const { kid, ...privateJwk } = JSON.parse(vector("private-jwk")) as { kid: string };
    const signer = localKeySigner({ key: privateJwk as never, keyId: kid });
    const { signatures: _signatures, ...unsigned } = signed;
    const again = await signTemplate(unsigned, signer, { clock: { now: () => vectorTime } });
    expect(again.signatures).toEqual(signed.signatures);
  });
});

describe("a signature made outside the SDK (openssl, JWS assembled by hand)", () => {
  const directory = mkdtempSync(join(tmpdir(), "nextgen-handmade-jws-"));
  afterAll(() => rmSync(directory, { recursive: true, force: true }));
  const template: AgentTemplate = {
    schemaVersion: 1,
    id: "ops/deployer",
    version: "0.3.1",
    name: "Deployer",
    tools: ["kubectl"],
  };
  const b64 = (data: string | Buffer): string => Buffer.from(data).toString("base64url");

  for (const [algorithm, genArgs, signArgs] of [
    [
      "EdDSA",
      ["-algorithm", "ed25519"],
      (key: string, input: string) => ["pkeyutl", "-sign", "-inkey", key, "-rawin", "-in", input],
    ],
    [
      "RS256",
      ["-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:2048"],
      (key: string, input: string) => ["dgst", "-sha256", "-sign", key, input],
    ],
  ] as const) {
    it(`verifies an ${algorithm} signature from openssl`, async () => {
      const keyPath = join(directory, `${algorithm}.pem`);
      execFileSync("openssl", ["genpkey", ...genArgs, "-out", keyPath], { stdio: "ignore" });
      const publicPem = execFileSync("openssl", ["pkey", "-in", keyPath, "-pubout"], { encoding: "utf8" });
      // Everything below follows docs/signing.md, without SDK helpers: JCS by hand (flat object, sorted keys).
      const sorted = Object.fromEntries(Object.entries(template).sort(([a], [b]) => (a < b ? -1 : 1)));
      const canonical = JSON.stringify(sorted);
      const header = b64(
        JSON.stringify({
          typ: "nextgen-template+jws",
          alg: algorithm,
          kid: "handmade",
          iat: Math.floor(vectorTime / 1000),
        }),
      );
      const inputPath = join(directory, `${algorithm}.input`);
      writeFileSync(inputPath, `${header}.${b64(canonical)}`);
      const signature = execFileSync("openssl", signArgs(keyPath, inputPath));
      const handmade = { ...template, signatures: [{ protected: header, signature: b64(signature) }] };
      const key = {
        ...createPublicKey(publicPem).export({ format: "jwk" }),
        kid: "handmade",
        alg: algorithm,
      } as TrustedKey;
      const policy = trustPolicy(
        { version: 1, keys: [key] },
        { clock: { now: () => vectorTime }, stateStore: memoryStateStore() },
      );
      await expect(policy.verify(handmade)).resolves.toMatchObject({ keyIds: ["handmade"] });
      await expect(policy.verify({ ...handmade, tools: ["kubectl", "sh"] })).rejects.toMatchObject({
        reason: "bad-signature",
      });
    });
  }

  it("verifies an ES256 signature from openssl once its DER is converted to r‖s, and refuses the DER as is", async () => {
    const keyPath = join(directory, "ES256.pem");
    execFileSync("openssl", ["genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-256", "-out", keyPath], {
      stdio: "ignore",
    });
    const publicPem = execFileSync("openssl", ["pkey", "-in", keyPath, "-pubout"], { encoding: "utf8" });
    const sorted = Object.fromEntries(Object.entries(template).sort(([a], [b]) => (a < b ? -1 : 1)));
    const header = b64(
      JSON.stringify({ typ: "nextgen-template+jws", alg: "ES256", kid: "handmade", iat: vectorTime / 1000 }),
    );
    const inputPath = join(directory, "ES256.input");
    writeFileSync(inputPath, `${header}.${b64(JSON.stringify(sorted))}`);
    const der = execFileSync("openssl", ["dgst", "-sha256", "-sign", keyPath, inputPath]);
    // DER: SEQUENCE { INTEGER r, INTEGER s } (short lengths for P-256); JWS wants r‖s, 32 bytes each.
    const integers: Buffer[] = [];
    for (let at = 2; integers.length < 2; ) {
      const length = der[at + 1]!;
      integers.push(der.subarray(at + 2, at + 2 + length));
      at += 2 + length;
    }
    const raw = Buffer.concat(integers.map((value) => Buffer.concat([Buffer.alloc(32), value]).subarray(-32)));
    const key = {
      ...createPublicKey(publicPem).export({ format: "jwk" }),
      kid: "handmade",
      alg: "ES256",
    } as TrustedKey;
    const policy = () =>
      trustPolicy({ version: 1, keys: [key] }, { clock: { now: () => vectorTime }, stateStore: memoryStateStore() });
    const entry = (signature: Buffer) => ({
      ...template,
      signatures: [{ protected: header, signature: b64(signature) }],
    });
    await expect(policy().verify(entry(raw))).resolves.toMatchObject({ keyIds: ["handmade"] });
    await expect(policy().verify(entry(der))).rejects.toMatchObject({ reason: "bad-signature" });
  });
});
