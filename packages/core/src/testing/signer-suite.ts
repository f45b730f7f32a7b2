import { createPublicKey, type JsonWebKey } from "node:crypto";
import { flattenedVerify } from "jose";
import { describe, expect, it } from "vitest";
import { base64url } from "../trust/jws-envelope.js";
import { SIGNATURE_ALGORITHMS } from "../trust/key-compatibility.js";
import { memoryStateStore } from "../trust/memory-state-store.js";
import { signTemplate } from "../trust/sign-template.js";
import type { Signer } from "../trust/signer.js";
import { trustPolicy } from "../trust/trust-policy.js";
import type { TrustedKey } from "../trust/trust-policy-document.js";

/** What the factory given to {@link testSigner} returns. */
export interface SignerUnderTest {
  /** The signer to test. */
  signer: Signer;
  /** Its public key as a JWK (the suite adds `kid`). */
  publicJwk: JsonWebKey | TrustedKey;
}

const encoder = new TextEncoder();

/**
 * The conformance suite of the {@link Signer} contract: every signer (local key, external
 * command, KMS) runs it. It checks that signatures verify with plain `jose` under the
 * signer's `alg`, are bound to the signed bytes, have the JWS form (64-byte r‖s for
 * ES256), and that a template signed with it passes a trust policy holding its public key.
 * Call it inside a vitest test file.
 *
 * @example
 * ```ts
 * import { testSigner } from "@nextgen/core/testing";
 * testSigner("kms", async () => ({ signer: kmsSigner({ keyId: "release" }), publicJwk: await fetchPublicJwk() }));
 * ```
 */
export function testSigner(name: string, makeSigner: () => SignerUnderTest | Promise<SignerUnderTest>): void {
  const verifyRaw = async (subject: SignerUnderTest, input: string, signature: Uint8Array): Promise<boolean> => {
    const [encodedProtected, encodedPayload] = input.split(".");
    try {
      const key = createPublicKey({ key: subject.publicJwk as JsonWebKey, format: "jwk" });
      await flattenedVerify(
        { protected: encodedProtected!, payload: encodedPayload!, signature: base64url(signature) },
        key,
        {
          algorithms: [subject.signer.algorithm],
        },
      );
      return true;
    } catch {
      return false;
    }
  };
  const input = (text: string, algorithm: string): string =>
    `${base64url(JSON.stringify({ alg: algorithm, kid: "k", typ: "nextgen-template+jws", iat: 1 }))}.${base64url(text)}`;

  describe(`Signer conformance: ${name}`, () => {
    it("names a key id and a supported algorithm", async () => {
      const { signer } = await makeSigner();
      expect(typeof signer.keyId).toBe("string");
      expect(signer.keyId.length).toBeGreaterThan(0);
      expect(SIGNATURE_ALGORITHMS).toContain(signer.algorithm);
    });

    it("produces raw JWS signatures that plain jose verifies", async () => {
      const subject = await makeSigner();
      const signingInput = input('{"id":"a/b"}', subject.signer.algorithm);
      const signature = await subject.signer.sign(encoder.encode(signingInput));
      expect(signature).toBeInstanceOf(Uint8Array);
      if (subject.signer.algorithm === "ES256") expect(signature.length).toBe(64);
      if (subject.signer.algorithm === "EdDSA") expect(signature.length).toBe(64);
      expect(await verifyRaw(subject, signingInput, signature)).toBe(true);
    });

    it("binds the signature to the bytes: it does not verify other bytes", async () => {
      const subject = await makeSigner();
      const signed = input('{"id":"a/b"}', subject.signer.algorithm);
      const signature = await subject.signer.sign(encoder.encode(signed));
      expect(await verifyRaw(subject, input('{"id":"a/c"}', subject.signer.algorithm), signature)).toBe(false);
    });

    it("signs empty and large inputs", async () => {
      const subject = await makeSigner();
      for (const text of ["", "x".repeat(256 * 1024)]) {
        const signingInput = input(text, subject.signer.algorithm);
        expect(await verifyRaw(subject, signingInput, await subject.signer.sign(encoder.encode(signingInput)))).toBe(
          true,
        );
      }
    });

    it("signs templates a trust policy with its public key accepts", async () => {
      const subject = await makeSigner();
      const { signer, publicJwk } = subject;
      const template = {
        schemaVersion: 1 as const,
        id: "conformance/signer",
        version: "1.0.0",
        name: "Signer conformance",
      };
      const signed = await signTemplate(template, signer);
      const key = { ...publicJwk, kid: signer.keyId, alg: signer.algorithm } as TrustedKey;
      const policy = trustPolicy({ version: 1, keys: [key] }, { stateStore: memoryStateStore() });
      await expect(policy.verify(signed)).resolves.toMatchObject({ keyIds: [signer.keyId] });
    });

    it("rejects when the signal is already aborted", async () => {
      const { signer } = await makeSigner();
      const controller = new AbortController();
      controller.abort();
      await expect(signer.sign(encoder.encode("x"), { signal: controller.signal })).rejects.toBeDefined();
    });
  });
}
