import { createHmac, createPublicKey } from "node:crypto";
import { describe, expect, it } from "vitest";
import type { AgentTemplate } from "../template/types.js";
import { base64url } from "./jws-envelope.js";
import { memoryStateStore } from "./memory-state-store.js";
import { signTemplate } from "./sign-template.js";
import { SignatureError, type SignatureFailureReason } from "./signature-error.js";
import { canonicalTemplateBytes } from "./template-bytes.js";
import { fixedClock, makeTestKey, sampleTemplate } from "./test-fixtures.js";
import { trustPolicy } from "./trust-policy.js";
import type { TrustPolicyDocument } from "./trust-policy-document.js";

const clock = fixedClock();
const release = makeTestKey("release");
const secA = makeTestKey("sec-a");
const secB = makeTestKey("sec-b", "ES256");
const stranger = makeTestKey("stranger");

const document = (overrides: Partial<TrustPolicyDocument> = {}): TrustPolicyDocument => ({
  version: 1,
  keys: [release.publicJwk, secA.publicJwk, secB.publicJwk],
  delegations: [{ ids: ["security/*"], keys: ["sec-a", "sec-b"], threshold: 2 }],
  ...overrides,
});
const policyOf = (overrides: Partial<TrustPolicyDocument> = {}) =>
  trustPolicy(document(overrides), { clock: clock, stateStore: memoryStateStore() });
const sign = (template: AgentTemplate, ...keys: { signer: Parameters<typeof signTemplate>[1] }[]) =>
  signTemplate(
    template,
    keys.map((key) => key.signer as never),
    { clock: clock },
  );
const general = sampleTemplate({ id: "general/helper" });

async function expectRefusal(promise: Promise<unknown>, reason: SignatureFailureReason): Promise<SignatureError> {
  const error = await promise.then(
    () => expect.unreachable("verification should have been refused"),
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(SignatureError);
  expect((error as SignatureError).reason).toBe(reason);
  return error as SignatureError;
}

/** Builds a header by hand, for attacks the SDK would never sign. */
function forgeHeader(header: Record<string, unknown>): string {
  return base64url(JSON.stringify(header));
}

describe("verification refuses", () => {
  it("accepts the legitimate cases the attacks start from", async () => {
    await expect(policyOf().verify(await sign(general, release))).resolves.toMatchObject({ keyIds: ["release"] });
    await expect(policyOf().verify(await sign(sampleTemplate(), secA, secB))).resolves.toMatchObject({
      keyIds: ["sec-a", "sec-b"],
    });
  });

  it("an unsigned template (missing)", async () => {
    const error = await expectRefusal(policyOf().verify(general), "missing");
    expect(error.code).toBe("NG_ERR_SIGNATURE_MISSING");
    expect(error.message).toMatch(/^general\/helper@\S+ is not signed; sign it with a key the trust policy lists/);
  });

  it("signature stripping: a co-signed template with one signature removed (threshold)", async () => {
    const signed = await sign(sampleTemplate(), secA, secB);
    const stripped = { ...signed, signatures: signed.signatures!.slice(0, 1) };
    const error = await expectRefusal(policyOf().verify(stripped), "threshold-not-met");
    expect(error.code).toBe("NG_ERR_SIGNATURE_THRESHOLD");
    await expectRefusal(policyOf().verify({ ...signed, signatures: [] }), "missing");
  });

  it("malformed entries: not base64url, not JSON, missing typ, unknown header member", async () => {
    const signed = await sign(general, release);
    const [entry] = signed.signatures!;
    const header = JSON.parse(Buffer.from(entry!.protected, "base64url").toString());
    for (const bad of [
      { protected: "!!!", signature: entry!.signature },
      { protected: base64url("not json"), signature: entry!.signature },
      { protected: forgeHeader({ ...header, typ: "JWT" }), signature: entry!.signature },
      { protected: forgeHeader({ ...header, crit: ["b64"], b64: false }), signature: entry!.signature },
      { protected: entry!.protected },
    ]) {
      await expectRefusal(policyOf().verify({ ...general, signatures: [bad as never] }), "malformed");
    }
  });

  it("a header with a duplicate member, even validly signed (no parser differential on alg)", async () => {
    const payload = base64url(canonicalTemplateBytes(general));
    const iat = clock.now() / 1000;
    const header = base64url(`{"alg":"HS256","alg":"EdDSA","kid":"release","typ":"nextgen-template+jws","iat":${iat}}`);
    const signature = await release.signer.sign(new TextEncoder().encode(`${header}.${payload}`));
    await expectRefusal(
      policyOf().verify({ ...general, signatures: [{ protected: header, signature: base64url(signature) }] }),
      "malformed",
    );
    // The same signer with a well-formed header is accepted: only the duplicate was refused.
    const clean = base64url(`{"alg":"EdDSA","kid":"release","typ":"nextgen-template+jws","iat":${iat}}`);
    const cleanSignature = await release.signer.sign(new TextEncoder().encode(`${clean}.${payload}`));
    await expect(
      policyOf().verify({ ...general, signatures: [{ protected: clean, signature: base64url(cleanSignature) }] }),
    ).resolves.toMatchObject({ keyIds: ["release"] });
  });

  it("a bad signature: content changed after signing", async () => {
    const signed = await sign(general, release);
    const error = await expectRefusal(policyOf().verify({ ...signed, tools: ["semgrep", "shell"] }), "bad-signature");
    expect(error.code).toBe("NG_ERR_SIGNATURE_BAD");
    expect(error.entries).toEqual([{ index: 0, keyId: "release", reason: "bad-signature" }]);
  });

  it("an unknown key", async () => {
    await expectRefusal(policyOf().verify(await sign(general, stranger)), "unknown-key");
  });

  it("a revoked key, listed in revoked[] or flagged on the key", async () => {
    const signed = await sign(general, release);
    await expectRefusal(policyOf({ revoked: ["release"] }).verify(signed), "revoked-key");
    const flagged = document().keys.map((key) => (key.kid === "release" ? { ...key, revoked: true } : key));
    await expectRefusal(policyOf({ keys: flagged }).verify(signed), "revoked-key");
  });

  it("a key outside its validity window", async () => {
    const signed = await sign(general, release);
    const windowed = (notBefore: string, notAfter: string) =>
      document().keys.map((key) => (key.kid === "release" ? { ...key, notBefore, notAfter } : key));
    await expectRefusal(
      policyOf({ keys: windowed("2025-01-01T00:00:00Z", "2026-01-01T00:00:00Z") }).verify(signed),
      "key-out-of-window",
    );
    await expectRefusal(
      policyOf({ keys: windowed("2026-07-01T00:00:00Z", "2027-01-01T00:00:00Z") }).verify(signed),
      "key-out-of-window",
    );
    await expect(
      policyOf({ keys: windowed("2026-01-01T00:00:00Z", "2027-01-01T00:00:00Z") }).verify(signed),
    ).resolves.toBeDefined();
  });

  it("alg none", async () => {
    const header = forgeHeader({ alg: "none", kid: "release", typ: "nextgen-template+jws", iat: clock.now() / 1000 });
    const error = await expectRefusal(
      policyOf().verify({ ...general, signatures: [{ protected: header, signature: "" }] }),
      "algorithm-not-allowed",
    );
    expect(error.code).toBe("NG_ERR_SIGNATURE_ALGORITHM");
  });

  it("alg confusion: an HS256/384/512 signature made with the public key as the HMAC secret", async () => {
    const payload = base64url(canonicalTemplateBytes(general));
    const publicKey = createPublicKey({ key: release.publicJwk as never, format: "jwk" });
    // Every form an attacker might guess the verifier would feed to HMAC as the "key".
    const secrets: (string | Buffer)[] = [
      JSON.stringify(release.publicJwk),
      publicKey.export({ type: "spki", format: "pem" }) as string,
      publicKey.export({ type: "spki", format: "der" }) as Buffer,
      Buffer.from(String(release.publicJwk.x), "base64url"),
    ];
    for (const [alg, hash] of [
      ["HS256", "sha256"],
      ["HS384", "sha384"],
      ["HS512", "sha512"],
    ] as const) {
      const header = forgeHeader({ alg, kid: "release", typ: "nextgen-template+jws", iat: clock.now() / 1000 });
      for (const secret of secrets) {
        const signature = createHmac(hash, secret).update(`${header}.${payload}`).digest("base64url");
        const policy = policyOf();
        await expectRefusal(
          policy.verify({ ...general, signatures: [{ protected: header, signature }] }),
          "algorithm-not-allowed",
        );
        // Refused on the header alone: no HMAC (or any other) verification was attempted.
        expect(policy.cryptoOperations).toBe(0);
      }
    }
  });

  it("an algorithm outside the policy's allowlist, or not the key's", async () => {
    await expectRefusal(
      policyOf({ algorithms: ["ES256"] }).verify(await sign(general, release)),
      "algorithm-not-allowed",
    );
    const header = forgeHeader({ alg: "ES256", kid: "release", typ: "nextgen-template+jws", iat: clock.now() / 1000 });
    await expectRefusal(
      policyOf().verify({ ...general, signatures: [{ protected: header, signature: "AAAA" }] }),
      "algorithm-not-allowed",
    );
  });

  it("an expired signature (exp passed)", async () => {
    const signed = await signTemplate(general, release.signer, {
      clock: clock,
      expiresAt: new Date(clock.now() + 60_000),
    });
    const later = fixedClock(clock.now() + 60_000);
    const error = await expectRefusal(trustPolicy(document(), { clock: later }).verify(signed), "expired");
    expect(error.code).toBe("NG_ERR_SIGNATURE_EXPIRED");
  });

  it("a threshold met twice by one key: the same key signing twice counts once", async () => {
    const once = await sign(sampleTemplate(), secA);
    const later = await signTemplate(sampleTemplate(), secA.signer, { clock: { now: () => clock.now() + 1000 } });
    const doubled = { ...once, signatures: [...once.signatures!, ...later.signatures!] };
    expect(doubled.signatures).toHaveLength(2);
    const error = await expectRefusal(policyOf().verify(doubled), "threshold-not-met");
    expect(error.message).toContain("1 of 2");
  });

  it("a key that is trusted but not delegated for that id", async () => {
    const error = await expectRefusal(policyOf().verify(await sign(sampleTemplate(), release, secA)), "not-delegated");
    expect(error.code).toBe("NG_ERR_SIGNATURE_NOT_DELEGATED");
  });

  it("rollback: a replayed older version after a newer one was accepted", async () => {
    const policy = policyOf();
    const v1 = await sign(sampleTemplate({ id: "general/helper", version: "1.0.0" }), release);
    const v2 = await sign(sampleTemplate({ id: "general/helper", version: "1.10.0" }), release);
    await policy.verify(v1);
    await policy.verify(v2);
    await expect(policy.verify(v2)).resolves.toMatchObject({ memoized: true });
    const error = await expectRefusal(policy.verify(v1), "rollback");
    expect(error.code).toBe("NG_ERR_SIGNATURE_ROLLBACK");
  });

  it("version-reused: the same version with another digest, even validly signed, says to bump the version", async () => {
    const policy = policyOf();
    await policy.verify(await sign(sampleTemplate({ id: "general/helper", version: "2.0.0" }), release));
    const changed = await sign(sampleTemplate({ id: "general/helper", version: "2.0.0", tools: ["shell"] }), release);
    const error = await expectRefusal(policy.verify(changed), "version-reused");
    expect(error.code).toBe("NG_ERR_SIGNATURE_VERSION_REUSED");
    expect(error.message).toContain("Bump `version` and sign again");
  });

  it("rollback marks survive a new policy instance sharing the store (a restart)", async () => {
    const stateStore = memoryStateStore();
    const v2 = await sign(sampleTemplate({ id: "general/helper", version: "2.0.0" }), release);
    const v1 = await sign(sampleTemplate({ id: "general/helper", version: "1.0.0" }), release);
    await trustPolicy(document(), { clock: clock, stateStore }).verify(v2);
    await expectRefusal(trustPolicy(document(), { clock: clock, stateStore }).verify(v1), "rollback");
  });
});
