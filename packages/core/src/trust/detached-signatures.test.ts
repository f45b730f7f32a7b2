import { createPublicKey } from "node:crypto";
import { flattenedVerify } from "jose";
import { describe, expect, it } from "vitest";
import { canonicalize } from "../canonical/canonicalize.js";
import { signDetachedPayload, verifyDetachedPayload } from "./detached-signatures.js";
import { base64url } from "./jws-envelope.js";
import { signTemplate } from "./sign-template.js";
import { SignatureError } from "./signature-error.js";
import { fixedClock, makeTestKey, sampleTemplate } from "./test-fixtures.js";
import { trustPolicy } from "./trust-policy.js";

const card = { name: "Auditor", description: "Finds vulnerabilities.", version: "1.2.0" };
const decodeHeader = (encoded: string): Record<string, unknown> =>
  JSON.parse(Buffer.from(encoded, "base64url").toString("utf8"));

describe("signDetachedPayload / verifyDetachedPayload", () => {
  it("signs with the given typ, verifiable by plain jose and by the policy", async () => {
    const key = makeTestKey("cards", "ES256");
    const clock = fixedClock();
    const payload = canonicalize(card);
    const [entry] = await signDetachedPayload(payload, key.signer, { type: "JOSE", clock: clock });
    expect(decodeHeader(entry!.protected)).toEqual({
      alg: "ES256",
      kid: "cards",
      typ: "JOSE",
      iat: clock.now() / 1000,
    });
    await flattenedVerify({ ...entry!, payload: base64url(payload) }, createPublicKey(key.privateKey));
    const policy = trustPolicy({ version: 1, keys: [key.publicJwk] }, { clock: clock });
    await expect(verifyDetachedPayload(payload, [entry], policy, { type: "JOSE", clock: clock })).resolves.toEqual({
      keyIds: ["cards"],
    });
    // A plain trust.json document works as well as a built policy.
    await expect(
      verifyDetachedPayload(payload, [entry], { version: 1, keys: [key.publicJwk] }, { type: "JOSE", clock: clock }),
    ).resolves.toEqual({ keyIds: ["cards"] });
  });

  it("refuses another typ, so a template signature never counts for a card and the reverse", async () => {
    const key = makeTestKey("k");
    const clock = fixedClock();
    const policy = trustPolicy({ version: 1, keys: [key.publicJwk] }, { clock: clock });
    const signed = await signTemplate(sampleTemplate(), key.signer, { clock: clock });
    const templateBytes = canonicalize({ ...sampleTemplate() });
    const refusal = verifyDetachedPayload(templateBytes, signed.signatures ?? [], policy, {
      type: "JOSE",
      clock: clock,
    });
    await expect(refusal).rejects.toBeInstanceOf(SignatureError);
    await expect(refusal).rejects.toMatchObject({ code: "NG_ERR_SIGNATURE_MALFORMED" });
  });

  it("refuses tampered payloads, unknown keys, missing signatures and the threshold of a delegation", async () => {
    const a = makeTestKey("a");
    const b = makeTestKey("b");
    const stranger = makeTestKey("stranger");
    const clock = fixedClock();
    const payload = canonicalize(card);
    const policy = trustPolicy(
      {
        version: 1,
        keys: [a.publicJwk, b.publicJwk],
        delegations: [{ ids: ["security/*"], keys: ["a", "b"], threshold: 2 }],
      },
      { clock: clock },
    );
    const options = { type: "JOSE", clock: clock };
    const entries = await signDetachedPayload(payload, [a.signer], options);
    await expect(verifyDetachedPayload(payload, entries, policy, options)).resolves.toEqual({ keyIds: ["a"] });
    await expect(
      verifyDetachedPayload(canonicalize({ ...card, version: "9.9.9" }), entries, policy, options),
    ).rejects.toMatchObject({ code: "NG_ERR_SIGNATURE_BAD" });
    await expect(
      verifyDetachedPayload(payload, await signDetachedPayload(payload, stranger.signer, options), policy, options),
    ).rejects.toMatchObject({ code: "NG_ERR_SIGNATURE_KEY_UNKNOWN" });
    await expect(verifyDetachedPayload(payload, [], policy, options)).rejects.toMatchObject({
      code: "NG_ERR_SIGNATURE_MISSING",
    });
    await expect(
      verifyDetachedPayload(payload, entries, policy, { ...options, subject: "security/auditor" }),
    ).rejects.toMatchObject({ code: "NG_ERR_SIGNATURE_THRESHOLD" });
    const both = await signDetachedPayload(payload, [a.signer, b.signer], options);
    await expect(
      verifyDetachedPayload(payload, both, policy, { ...options, subject: "security/auditor" }),
    ).resolves.toEqual({ keyIds: ["a", "b"] });
  });

  it("refuses bad options with coded errors", async () => {
    const key = makeTestKey("k");
    await expect(signDetachedPayload(new Uint8Array(), [], { type: "JOSE" })).rejects.toMatchObject({
      code: "NG_ERR_OPTIONS_INVALID",
    });
    await expect(signDetachedPayload(new Uint8Array(), key.signer, { type: "" })).rejects.toMatchObject({
      code: "NG_ERR_OPTIONS_INVALID",
    });
    await expect(
      verifyDetachedPayload(new Uint8Array(), [], { version: 1, keys: [key.publicJwk] }, { type: "" }),
    ).rejects.toMatchObject({ code: "NG_ERR_OPTIONS_INVALID" });
  });
});

describe("verifyDetachedPayload header profile", () => {
  it("accepts a header without iat or with listed extra members only when told to", async () => {
    const key = makeTestKey("k", "ES256");
    const payload = canonicalize(card);
    const policy = trustPolicy({ version: 1, keys: [key.publicJwk] });
    const sign = async (header: Record<string, unknown>) => {
      const encodedProtected = base64url(JSON.stringify(header));
      const signature = await key.signer.sign(new TextEncoder().encode(`${encodedProtected}.${base64url(payload)}`));
      return { protected: encodedProtected, signature: base64url(signature) };
    };
    const bare = await sign({ alg: "ES256", kid: "k", typ: "JOSE" });
    await expect(verifyDetachedPayload(payload, [bare], policy, { type: "JOSE" })).rejects.toMatchObject({
      code: "NG_ERR_SIGNATURE_MALFORMED",
    });
    await expect(
      verifyDetachedPayload(payload, [bare], policy, { type: "JOSE", requireIssuedAt: false }),
    ).resolves.toEqual({ keyIds: ["k"] });
    const withJku = await sign({ alg: "ES256", kid: "k", typ: "JOSE", jku: "https://keys.example/jwks.json" });
    await expect(
      verifyDetachedPayload(payload, [withJku], policy, { type: "JOSE", requireIssuedAt: false }),
    ).rejects.toMatchObject({ code: "NG_ERR_SIGNATURE_MALFORMED" });
    await expect(
      verifyDetachedPayload(payload, [withJku], policy, {
        type: "JOSE",
        requireIssuedAt: false,
        extraHeaderMembers: ["jku"],
      }),
    ).resolves.toEqual({ keyIds: ["k"] });
  });
});
