import { generateKeyPairSync } from "node:crypto";
import { describe, expect, it } from "vitest";
import { testSigner } from "../testing/signer-suite.js";
import { SIGNATURE_ALGORITHMS } from "./key-compatibility.js";
import { localKeySigner } from "./local-key-signer.js";
import { makeTestKey } from "./test-fixtures.js";

for (const algorithm of SIGNATURE_ALGORITHMS) {
  const key = makeTestKey(`local-${algorithm}`, algorithm);
  testSigner(`localKeySigner (${algorithm}, PKCS#8 PEM)`, () => ({
    signer: localKeySigner({
      key: key.privateKey.export({ format: "pem", type: "pkcs8" }) as string,
      keyId: key.kid,
      algorithm,
    }),
    publicJwk: key.publicJwk,
  }));
}

const jwkKey = makeTestKey("local-jwk");
testSigner("localKeySigner (EdDSA, private JWK, algorithm from the default)", () => ({
  signer: localKeySigner({ key: jwkKey.privateKey.export({ format: "jwk" }) as never, keyId: jwkKey.kid }),
  publicJwk: jwkKey.publicJwk,
}));

describe("localKeySigner refuses unusable keys", () => {
  it("an RSA key under 2048 bits", () => {
    const { privateKey } = generateKeyPairSync("rsa", { modulusLength: 1024 });
    expect(() => localKeySigner({ key: privateKey, keyId: "weak", algorithm: "RS256" })).toThrow(
      expect.objectContaining({ code: "NG_ERR_TRUST_KEY_INVALID", message: expect.stringContaining("1024-bit") }),
    );
  });

  it("a key of the wrong type for the algorithm, or a curve other than P-256", () => {
    const ed = generateKeyPairSync("ed25519").privateKey;
    expect(() => localKeySigner({ key: ed, keyId: "k", algorithm: "ES256" })).toThrow(
      expect.objectContaining({ code: "NG_ERR_TRUST_KEY_INVALID" }),
    );
    const p384 = generateKeyPairSync("ec", { namedCurve: "P-384" }).privateKey;
    expect(() => localKeySigner({ key: p384, keyId: "k", algorithm: "ES256" })).toThrow(
      expect.objectContaining({ code: "NG_ERR_TRUST_KEY_INVALID" }),
    );
  });

  it("a public key, garbage, and options that are not algorithms", () => {
    const { publicKey } = generateKeyPairSync("ed25519");
    expect(() => localKeySigner({ key: publicKey, keyId: "k" })).toThrow(
      expect.objectContaining({ code: "NG_ERR_TRUST_KEY_INVALID" }),
    );
    expect(() =>
      localKeySigner({ key: "-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----", keyId: "k" }),
    ).toThrow(expect.objectContaining({ code: "NG_ERR_TRUST_KEY_INVALID" }));
    expect(() => localKeySigner({ key: publicKey, keyId: "k", algorithm: "HS256" as never })).toThrow(
      expect.objectContaining({ code: "NG_ERR_OPTIONS_INVALID" }),
    );
    expect(() => localKeySigner({ key: publicKey, keyId: "" })).toThrow(
      expect.objectContaining({ code: "NG_ERR_OPTIONS_INVALID" }),
    );
  });

  it("a missing or null key: an OptionsError naming options.key, not a TypeError", () => {
    for (const key of [undefined, null, 42]) {
      expect(() => localKeySigner({ key: key as never, keyId: "k" })).toThrow(
        expect.objectContaining({ code: "NG_ERR_OPTIONS_INVALID", option: "options.key" }),
      );
    }
  });
});
