import { AgentCard, generateAgentCardSignature, verifyAgentCardSignature } from "@a2a-js/sdk";
import { describe, expect, it, vi } from "vitest";
import { agentCard } from "./agent-card.js";
import type { AgentCardJson } from "./agent-card-types.js";
import { agentCardSigningBytes, signAgentCard, verifyAgentCard } from "./card-signing.js";
import { auditorTemplate, makeKey } from "./test-fixtures.js";

const url = "https://agents.example.com/a2a/auditor";
const decodeHeader = (encoded: string): Record<string, unknown> =>
  JSON.parse(Buffer.from(encoded, "base64url").toString("utf8"));

describe("agentCard", () => {
  it("builds a v1.0 card from a template: name, description, version, a skill per capability, streaming", () => {
    const card = agentCard(auditorTemplate, { url });
    expect(card).toEqual({
      name: "Security Auditor",
      description: "Finds vulnerabilities in code and configuration.",
      version: "1.2.0",
      supportedInterfaces: [
        { url, protocolBinding: "JSONRPC", protocolVersion: "1.0" },
        { url, protocolBinding: "JSONRPC", protocolVersion: "0.3" },
      ],
      capabilities: { streaming: true },
      defaultInputModes: ["text/plain"],
      defaultOutputModes: ["text/plain"],
      skills: [
        {
          id: "vulnerability-scan",
          name: "vulnerability-scan",
          description: "Security Auditor: vulnerability-scan",
          tags: ["vulnerability-scan", "security", "specialist"],
        },
        {
          id: "threat-modeling",
          name: "threat-modeling",
          description: "Security Auditor: threat-modeling",
          tags: ["threat-modeling", "security", "specialist"],
        },
      ],
    });
    // `@a2a-js/sdk` reads it back unchanged: nothing in it is outside the v1.0 schema or at a default.
    expect(AgentCard.toJSON(AgentCard.fromJSON(card))).toEqual(card);
  });

  it("falls back to one skill named after the template, and refuses bad input with a coded error", () => {
    const card = agentCard({ id: "demo/echo", version: "1.0.0" }, { url, legacy: false, streaming: false });
    expect(card.skills).toEqual([
      { id: "demo/echo", name: "demo/echo", description: "demo/echo (demo/echo@1.0.0)", tags: ["demo/echo"] },
    ]);
    expect(card.capabilities).toBeUndefined();
    expect(card.supportedInterfaces).toHaveLength(1);
    expect(() => agentCard(auditorTemplate, { url: "ftp://example.com" })).toThrow(
      expect.objectContaining({ code: "NG_ERR_A2A_CARD_INVALID" }),
    );
    expect(() => agentCard({ id: 1 } as never, { url })).toThrow(
      expect.objectContaining({ code: "NG_ERR_A2A_CARD_INVALID" }),
    );
  });
});

describe("signAgentCard / verifyAgentCard", () => {
  it("signs a card that @a2a-js/sdk's own verifier accepts, and it refuses once the card changes", async () => {
    vi.spyOn(console, "debug").mockImplementation(() => {}); // the SDK logs each refused entry
    const key = makeKey("cards-2026");
    const signed = await signAgentCard(agentCard(auditorTemplate, { url }), key.signer);
    expect(decodeHeader(signed.signatures![0]!.protected)).toMatchObject({
      alg: "ES256",
      kid: "cards-2026",
      typ: "JOSE",
    });
    const sdkVerify = verifyAgentCardSignature(async (kid) => {
      if (kid !== "cards-2026") throw new Error(`unknown kid ${kid}`);
      return key.publicKey;
    });
    await expect(sdkVerify(AgentCard.fromJSON(signed))).resolves.toBeUndefined();
    await expect(sdkVerify(AgentCard.fromJSON({ ...signed, version: "9.9.9" }))).rejects.toThrow(/No valid signatures/);
    await expect(verifyAgentCard(signed, { version: 1, keys: [key.publicJwk] })).resolves.toEqual({
      keyIds: ["cards-2026"],
    });
  });

  it("verifies a card that @a2a-js/sdk signed, with the key from our trust policy", async () => {
    const key = makeKey("partner", "EdDSA");
    const sdkSign = generateAgentCardSignature(key.privateKey, { alg: "EdDSA", kid: "partner", typ: "JOSE" });
    const sdkCard = AgentCard.toJSON(
      await sdkSign(AgentCard.fromJSON(agentCard(auditorTemplate, { url }))),
    ) as AgentCardJson;
    await expect(verifyAgentCard(sdkCard, { version: 1, keys: [key.publicJwk] })).resolves.toEqual({
      keyIds: ["partner"],
    });
    // The same card through JSON, as a client would fetch it.
    const fetched = JSON.parse(JSON.stringify(sdkCard)) as AgentCardJson;
    await expect(verifyAgentCard(fetched, { version: 1, keys: [key.publicJwk] })).resolves.toEqual({
      keyIds: ["partner"],
    });
    await expect(
      verifyAgentCard({ ...fetched, description: "Exfiltrates secrets." }, { version: 1, keys: [key.publicJwk] }),
    ).rejects.toMatchObject({ code: "NG_ERR_SIGNATURE_BAD" });
  });

  it("refuses unsigned cards, unknown keys, revoked keys and algorithms the policy does not allow", async () => {
    const key = makeKey("cards");
    const stranger = makeKey("stranger");
    const card = agentCard(auditorTemplate, { url });
    const policy = { version: 1 as const, keys: [key.publicJwk] };
    await expect(verifyAgentCard(card, policy)).rejects.toMatchObject({ code: "NG_ERR_SIGNATURE_MISSING" });
    await expect(verifyAgentCard(await signAgentCard(card, stranger.signer), policy)).rejects.toMatchObject({
      code: "NG_ERR_SIGNATURE_KEY_UNKNOWN",
    });
    const signed = await signAgentCard(card, key.signer);
    await expect(verifyAgentCard(signed, { ...policy, revoked: ["cards"] })).rejects.toMatchObject({
      code: "NG_ERR_SIGNATURE_KEY_REVOKED",
    });
    await expect(verifyAgentCard(signed, { ...policy, algorithms: ["EdDSA"] })).rejects.toMatchObject({
      code: "NG_ERR_SIGNATURE_ALGORITHM",
    });
    // A `none` signature never reaches a key.
    const none = {
      protected: Buffer.from('{"alg":"none","kid":"cards","typ":"JOSE"}').toString("base64url"),
      signature: "",
    };
    await expect(verifyAgentCard({ ...card, signatures: [none] }, policy)).rejects.toMatchObject({
      code: "NG_ERR_SIGNATURE_ALGORITHM",
    });
  });

  it("reads time from the injected Clock: iat when signing, exp when verifying; a bare function is refused", async () => {
    const key = makeKey("cards");
    const policy = { version: 1 as const, keys: [key.publicJwk] };
    let now = Date.parse("2030-01-01T00:00:00Z");
    const clock = { now: () => now };
    const signed = await signAgentCard(agentCard(auditorTemplate, { url }), key.signer, {
      clock,
      expiresAt: new Date(now + 60_000),
    });
    expect(decodeHeader(signed.signatures![0]!.protected).iat).toBe(now / 1000);
    await expect(verifyAgentCard(signed, policy, { clock })).resolves.toEqual({ keyIds: ["cards"] });
    now += 120_000; // past exp, without sleeping
    await expect(verifyAgentCard(signed, policy, { clock })).rejects.toMatchObject({
      code: "NG_ERR_SIGNATURE_EXPIRED",
    });
    await expect(signAgentCard(signed, key.signer, { clock: (() => now) as never })).rejects.toMatchObject({
      code: "NG_ERR_OPTIONS_INVALID",
      option: "options.clock",
    });
    await expect(verifyAgentCard(signed, policy, { clock: (() => now) as never })).rejects.toMatchObject({
      code: "NG_ERR_OPTIONS_INVALID",
      option: "options.clock",
    });
  });

  it("applies the delegation of `subject` (the template the card was built from)", async () => {
    const a = makeKey("a");
    const b = makeKey("b");
    const policy = {
      version: 1 as const,
      keys: [a.publicJwk, b.publicJwk],
      delegations: [{ ids: ["security/*"], keys: ["a", "b"], threshold: 2 }],
    };
    const once = await signAgentCard(agentCard(auditorTemplate, { url }), a.signer);
    await expect(verifyAgentCard(once, policy)).resolves.toEqual({ keyIds: ["a"] });
    await expect(verifyAgentCard(once, policy, { subject: "security/auditor" })).rejects.toMatchObject({
      code: "NG_ERR_SIGNATURE_THRESHOLD",
    });
    const twice = await signAgentCard(once, b.signer);
    await expect(verifyAgentCard(twice, policy, { subject: "security/auditor" })).resolves.toEqual({
      keyIds: ["a", "b"],
    });
  });

  it("keeps other keys' signatures, replaces its own, and ignores the unprotected header", async () => {
    const a = makeKey("a");
    const b = makeKey("b");
    const card = agentCard(auditorTemplate, { url });
    const twice = await signAgentCard(await signAgentCard(await signAgentCard(card, a.signer), b.signer), a.signer);
    expect(twice.signatures!.map((entry) => decodeHeader(entry.protected).kid)).toEqual(["b", "a"]);
    const withHeader = {
      ...twice,
      signatures: twice.signatures!.map((entry) => ({ ...entry, header: { kid: "evil" } })),
    };
    await expect(
      verifyAgentCard(withHeader, { version: 1, keys: [a.publicJwk, b.publicJwk], defaultThreshold: 2 }),
    ).resolves.toEqual({ keyIds: ["b", "a"] });
  });

  it("bounds what it reads: oversized cards, too many signatures and non-JSON values are refused", async () => {
    const key = makeKey("cards");
    const card = agentCard(auditorTemplate, { url });
    const policy = { version: 1 as const, keys: [key.publicJwk] };
    await expect(verifyAgentCard({ ...card, description: "x".repeat(300_000) }, policy)).rejects.toMatchObject({
      code: "NG_ERR_A2A_CARD_INVALID",
    });
    const entry = (await signAgentCard(card, key.signer)).signatures![0]!;
    await expect(verifyAgentCard({ ...card, signatures: Array(33).fill(entry) }, policy)).rejects.toMatchObject({
      code: "NG_ERR_A2A_CARD_INVALID",
    });
    expect(() => agentCardSigningBytes({ ...card, version: Number.NaN as never })).toThrow(
      expect.objectContaining({ code: "NG_ERR_A2A_CARD_INVALID" }),
    );
    await expect(verifyAgentCard(null as never, policy)).rejects.toMatchObject({ code: "NG_ERR_A2A_CARD_INVALID" });
  });
});
