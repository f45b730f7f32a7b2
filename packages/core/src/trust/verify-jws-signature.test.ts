import { constants, type KeyObject, sign } from "node:crypto";
import { flattenedVerify } from "jose";
import { describe, expect, it } from "vitest";
import { jwsParameters } from "./jws-algorithm.js";
import { base64url, signingInput } from "./jws-envelope.js";
import type { SignatureAlgorithm } from "./signer.js";
import { keyPairFor } from "./test-fixtures.js";
import { verifyJwsSignature } from "./verify-jws-signature.js";

// The synchronous check must accept exactly what jose's flattenedVerify accepts (the
// verifier it replaced), signature by signature: the same keys, the same mutations.
const pairs: Record<SignatureAlgorithm, { publicKey: KeyObject; privateKey: KeyObject }> = {
  EdDSA: keyPairFor("EdDSA"),
  ES256: keyPairFor("ES256"),
  PS256: keyPairFor("PS256"),
  RS256: keyPairFor("RS256"),
};
const algorithms = Object.keys(pairs) as SignatureAlgorithm[];
const encodedPayload = base64url(new TextEncoder().encode('{"id":"security/auditor","version":"1.0.0"}'));
const protectedFor = (alg: SignatureAlgorithm) =>
  base64url(new TextEncoder().encode(JSON.stringify({ alg, kid: "k", typ: "nextgen-template+jws", iat: 1 })));

async function joseAccepts(
  alg: SignatureAlgorithm,
  key: KeyObject,
  encodedProtected: string,
  signature: Uint8Array,
): Promise<boolean> {
  try {
    await flattenedVerify(
      { protected: encodedProtected, payload: encodedPayload, signature: base64url(signature) },
      key,
      {
        algorithms: [alg],
      },
    );
    return true;
  } catch {
    return false;
  }
}

function signed(alg: SignatureAlgorithm, encodedProtected: string, key = pairs[alg].privateKey): Uint8Array {
  const [digest, parameters] = jwsParameters(alg, key);
  return new Uint8Array(sign(digest, signingInput(encodedProtected, encodedPayload), parameters));
}

describe("verifyJwsSignature", () => {
  it.each(algorithms)("accepts a %s signature jose accepts, and refuses every mutation jose refuses", async (alg) => {
    const { publicKey } = pairs[alg];
    const encodedProtected = protectedFor(alg);
    const good = signed(alg, encodedProtected);
    const cases: Array<[string, string, Uint8Array]> = [
      ["as signed", encodedProtected, good],
      ["one bit flipped", encodedProtected, good.map((byte, index) => (index === 3 ? byte ^ 1 : byte))],
      ["one byte short", encodedProtected, good.subarray(0, good.length - 1)],
      ["one byte long", encodedProtected, Uint8Array.from([...good, 0])],
      ["empty", encodedProtected, new Uint8Array(0)],
      ["another header", protectedFor(alg === "RS256" ? "PS256" : "RS256"), good],
    ];
    for (const [label, header, signature] of cases) {
      const expected = await joseAccepts(alg, publicKey, header, signature);
      expect(verifyJwsSignature(alg, publicKey, header, encodedPayload, signature), label).toBe(expected);
    }
    expect(verifyJwsSignature(alg, publicKey, encodedProtected, encodedPayload, good)).toBe(true);
  });

  it("refuses a signature by another key of the same type", () => {
    for (const alg of algorithms) {
      const other = keyPairFor(alg);
      const encodedProtected = protectedFor(alg);
      expect(
        verifyJwsSignature(
          alg,
          pairs[alg].publicKey,
          encodedProtected,
          encodedPayload,
          signed(alg, encodedProtected, other.privateKey),
        ),
        alg,
      ).toBe(false);
    }
  });

  it("refuses PS256 with any salt length but the hash's 32 bytes (RFC 7518 §3.5), as WebCrypto does", async () => {
    const { publicKey, privateKey } = pairs.PS256;
    const encodedProtected = protectedFor("PS256");
    for (const saltLength of [0, 20, 32, 64]) {
      const signature = new Uint8Array(
        sign("sha256", signingInput(encodedProtected, encodedPayload), {
          key: privateKey,
          padding: constants.RSA_PKCS1_PSS_PADDING,
          saltLength,
        }),
      );
      const ours = verifyJwsSignature("PS256", publicKey, encodedProtected, encodedPayload, signature);
      expect(ours, `salt ${saltLength}`).toBe(saltLength === 32);
      expect(ours, `salt ${saltLength} (jose)`).toBe(
        await joseAccepts("PS256", publicKey, encodedProtected, signature),
      );
    }
  });

  it("refuses an ES256 signature in DER form (JWS wants r‖s)", async () => {
    const { publicKey, privateKey } = pairs.ES256;
    const encodedProtected = protectedFor("ES256");
    const der = new Uint8Array(sign("sha256", signingInput(encodedProtected, encodedPayload), privateKey));
    expect(verifyJwsSignature("ES256", publicKey, encodedProtected, encodedPayload, der)).toBe(false);
    expect(await joseAccepts("ES256", publicKey, encodedProtected, der)).toBe(false);
  });

  it("refuses a PKCS#1 v1.5 signature presented as PS256 and a PSS one presented as RS256", () => {
    const { publicKey, privateKey } = pairs.RS256;
    const rs = protectedFor("RS256");
    const ps = protectedFor("PS256");
    const v15 = new Uint8Array(
      sign("sha256", signingInput(ps, encodedPayload), { key: privateKey, padding: constants.RSA_PKCS1_PADDING }),
    );
    const pss = new Uint8Array(
      sign("sha256", signingInput(rs, encodedPayload), {
        key: privateKey,
        padding: constants.RSA_PKCS1_PSS_PADDING,
        saltLength: 32,
      }),
    );
    expect(verifyJwsSignature("PS256", publicKey, ps, encodedPayload, v15)).toBe(false);
    expect(verifyJwsSignature("RS256", publicKey, rs, encodedPayload, pss)).toBe(false);
  });

  it("never throws: a key of the wrong type for the algorithm is a refusal", () => {
    const encodedProtected = protectedFor("EdDSA");
    const signature = signed("EdDSA", encodedProtected);
    expect(verifyJwsSignature("ES256", pairs.EdDSA.publicKey, encodedProtected, encodedPayload, signature)).toBe(false);
    expect(verifyJwsSignature("RS256", pairs.ES256.publicKey, encodedProtected, encodedPayload, signature)).toBe(false);
  });
});
