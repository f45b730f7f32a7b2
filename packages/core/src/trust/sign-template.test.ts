import { createPublicKey } from "node:crypto";
import { flattenedVerify } from "jose";
import { describe, expect, it } from "vitest";
import { base64url } from "./jws-envelope.js";
import { SIGNATURE_ALGORITHMS } from "./key-compatibility.js";
import { signTemplate } from "./sign-template.js";
import { canonicalTemplateBytes } from "./template-bytes.js";
import { fixedClock, makeTestKey, sampleTemplate } from "./test-fixtures.js";
import { trustPolicy } from "./trust-policy.js";

const decodeHeader = (encoded: string): Record<string, unknown> =>
  JSON.parse(Buffer.from(encoded, "base64url").toString("utf8"));

describe("signTemplate", () => {
  for (const algorithm of SIGNATURE_ALGORITHMS) {
    it(`produces a ${algorithm} signature that plain jose verifies over the canonical bytes`, async () => {
      const key = makeTestKey(`k-${algorithm}`, algorithm);
      const clock = fixedClock();
      const signed = await signTemplate(sampleTemplate(), key.signer, { clock: clock });
      const [entry] = signed.signatures ?? [];
      expect(decodeHeader(entry!.protected)).toEqual({
        alg: algorithm,
        kid: key.kid,
        typ: "nextgen-template+jws",
        iat: clock.now() / 1000,
      });
      const payload = base64url(canonicalTemplateBytes(signed));
      const result = await flattenedVerify({ ...entry!, payload }, createPublicKey(key.privateKey), {
        algorithms: [algorithm],
      });
      expect(new TextDecoder().decode(result.payload)).toBe(
        new TextDecoder().decode(canonicalTemplateBytes(sampleTemplate())),
      );
      const verified = await trustPolicy({ version: 1, keys: [key.publicJwk] }, { clock: clock }).verify(signed);
      expect(verified.keyIds).toEqual([key.kid]);
    });
  }

  it("replaces the entry of the same kid, keeps other signers' entries, and leaves the input untouched", async () => {
    const a = makeTestKey("a");
    const b = makeTestKey("b");
    const clock = fixedClock();
    const template = sampleTemplate();
    const once = await signTemplate(template, [a.signer, b.signer], { clock: clock });
    clock.set(clock.now() + 60_000);
    const again = await signTemplate(once, a.signer, { clock: clock });
    expect(template.signatures).toBeUndefined();
    expect(again.signatures).toHaveLength(2);
    const kids = again.signatures!.map((entry) => decodeHeader(entry.protected).kid);
    expect(kids).toEqual(["b", "a"]);
    expect(decodeHeader(again.signatures![1]!.protected).iat).toBe(clock.now() / 1000);
  });

  it("writes exp and refuses an expiry in the past", async () => {
    const key = makeTestKey("a");
    const clock = fixedClock();
    const expiresAt = new Date(clock.now() + 86_400_000);
    const signed = await signTemplate(sampleTemplate(), key.signer, { clock: clock, expiresAt });
    expect(decodeHeader(signed.signatures![0]!.protected).exp).toBe(expiresAt.getTime() / 1000);
    await expect(
      signTemplate(sampleTemplate(), key.signer, { clock: clock, expiresAt: new Date(clock.now() - 1) }),
    ).rejects.toMatchObject({
      code: "NG_ERR_OPTIONS_INVALID",
    });
    for (const signers of [null, [key.signer, {}]]) {
      await expect(signTemplate(sampleTemplate(), signers as never)).rejects.toMatchObject({
        code: "NG_ERR_OPTIONS_INVALID",
        option: signers === null ? "signers" : "signers[1]",
      });
    }
    // A string (a common slip for an ISO date) is an options error, not a TypeError.
    await expect(
      signTemplate(sampleTemplate(), key.signer, { expiresAt: "2030-01-01" as never }),
    ).rejects.toMatchObject({ code: "NG_ERR_OPTIONS_INVALID", option: "options.expiresAt" });
  });
});
