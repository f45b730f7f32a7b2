import { execFileSync } from "node:child_process";
import { createPublicKey } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { testSigner } from "../testing/signer-suite.js";
import { commandSigner } from "./command-signer.js";
import { derToRawEcdsa } from "./der-signature.js";
import type { SignatureAlgorithm } from "./signer.js";

const directory = mkdtempSync(join(tmpdir(), "nextgen-command-signer-"));
afterAll(() => rmSync(directory, { recursive: true, force: true }));

/** Generates a key with openssl itself, so the private key never passes through Node. */
function opensslKey(
  name: string,
  algorithm: SignatureAlgorithm,
): { path: string; publicJwk: ReturnType<typeof toJwk> } {
  const path = join(directory, `${name}.pem`);
  const args =
    algorithm === "EdDSA"
      ? ["genpkey", "-algorithm", "ed25519", "-out", path]
      : algorithm === "ES256"
        ? ["genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-256", "-out", path]
        : ["genpkey", "-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:2048", "-out", path];
  execFileSync("openssl", args, { stdio: "ignore" });
  const publicPem = execFileSync("openssl", ["pkey", "-in", path, "-pubout"], { encoding: "utf8" });
  return { path, publicJwk: toJwk(publicPem) };
}
const toJwk = (publicPem: string) => createPublicKey(publicPem).export({ format: "jwk" });

function opensslArgs(algorithm: SignatureAlgorithm, keyPath: string): string[] {
  // OpenSSL 3.0 cannot sign Ed25519 from stdin ("oneshot operation"), hence the file placeholder.
  if (algorithm === "EdDSA") return ["pkeyutl", "-sign", "-inkey", keyPath, "-rawin", "-in", "{input}"];
  if (algorithm === "PS256")
    return ["dgst", "-sha256", "-sign", keyPath, "-sigopt", "rsa_padding_mode:pss", "-sigopt", "rsa_pss_saltlen:32"];
  return ["dgst", "-sha256", "-sign", keyPath];
}

for (const algorithm of ["EdDSA", "ES256", "PS256", "RS256"] as const) {
  const key = opensslKey(`k-${algorithm}`, algorithm);
  testSigner(`commandSigner (openssl, ${algorithm})`, () => ({
    signer: commandSigner({
      command: "openssl",
      args: opensslArgs(algorithm, key.path),
      keyId: `openssl-${algorithm}`,
      algorithm,
    }),
    publicJwk: key.publicJwk,
  }));
}

describe("commandSigner failures", () => {
  const bytes = new TextEncoder().encode("a.b");

  it("reports a non-zero exit with the command's stderr", async () => {
    const signer = commandSigner({
      command: "openssl",
      args: ["pkeyutl", "-sign", "-inkey", join(directory, "absent.pem"), "-rawin"],
      keyId: "k",
      algorithm: "EdDSA",
    });
    await expect(signer.sign(bytes)).rejects.toMatchObject({
      code: "NG_ERR_TRUST_SIGNER_FAILED",
      message: expect.stringMatching(/exited with code \d+: .+/s),
    });
  });

  it("kills a command that outlives timeoutMs", async () => {
    const signer = commandSigner({
      command: process.execPath,
      args: ["-e", "setTimeout(() => {}, 60000)"],
      keyId: "k",
      algorithm: "EdDSA",
      timeoutMs: 200,
    });
    await expect(signer.sign(bytes)).rejects.toMatchObject({
      code: "NG_ERR_TRUST_SIGNER_FAILED",
      message: expect.stringContaining("timeout 200 ms"),
    });
  });

  it("refuses empty output, and ES256 output that is neither r‖s nor DER", async () => {
    const silent = commandSigner({
      command: process.execPath,
      args: ["-e", "process.stdin.resume()"],
      keyId: "k",
      algorithm: "EdDSA",
    });
    await expect(silent.sign(bytes)).rejects.toMatchObject({
      code: "NG_ERR_TRUST_SIGNER_FAILED",
      message: expect.stringContaining("no signature"),
    });
    const garbage = commandSigner({
      command: process.execPath,
      args: ["-e", "process.stdout.write('not a signature')"],
      keyId: "k",
      algorithm: "ES256",
    });
    await expect(garbage.sign(bytes)).rejects.toMatchObject({ code: "NG_ERR_TRUST_SIGNER_FAILED" });
  });

  it("reports a command that does not exist", async () => {
    const signer = commandSigner({ command: "nextgen-no-such-signer", keyId: "k", algorithm: "EdDSA" });
    await expect(signer.sign(bytes)).rejects.toMatchObject({
      code: "NG_ERR_TRUST_SIGNER_FAILED",
      message: expect.stringContaining("could not run"),
    });
  });

  it("validates its options at construction", () => {
    expect(() => commandSigner({ command: "", keyId: "k", algorithm: "EdDSA" })).toThrow(/options.command/);
    expect(() => commandSigner({ command: "x", keyId: "k", algorithm: "HS256" as never })).toThrow(/options.algorithm/);
    expect(() => commandSigner({ command: "x", keyId: "k", algorithm: "EdDSA", timeoutMs: 0 })).toThrow(
      /options.timeoutMs/,
    );
  });
});

describe("derToRawEcdsa", () => {
  it("pads short integers and strips sign bytes", () => {
    const der = Uint8Array.from([0x30, 0x08, 0x02, 0x02, 0x00, 0x80, 0x02, 0x02, 0x01, 0x02]);
    const raw = derToRawEcdsa(der)!;
    expect(raw.length).toBe(64);
    expect(raw[31]).toBe(0x80);
    expect([raw[62], raw[63]]).toEqual([0x01, 0x02]);
  });

  it("refuses truncated or trailing data", () => {
    expect(derToRawEcdsa(Uint8Array.from([0x30, 0x08, 0x02, 0x02, 0x00]))).toBeUndefined();
    expect(derToRawEcdsa(Uint8Array.from([0x30, 0x03, 0x02, 0x01, 0x01, 0x00]))).toBeUndefined();
  });
});
