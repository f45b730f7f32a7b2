import { generateKeyPairSync } from "node:crypto";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { agentCard, signAgentCard, verifyAgentCard } from "@nextgen/a2a";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { cardSigningKey } from "./card-signing-key.js";

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "card-key-"));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

const template = { id: "security/auditor", version: "1.0.0", name: "Security Auditor" };

describe("cardSigningKey", () => {
  it("signs with a configured P-256 key, and its trust document verifies the card", async () => {
    const file = join(dir, "cards.pem");
    const { privateKey } = generateKeyPairSync("ec", { namedCurve: "P-256" });
    await writeFile(file, privateKey.export({ format: "pem", type: "pkcs8" }));
    const key = await cardSigningKey(file, "cards-2026");
    expect(key.signer.algorithm).toBe("ES256");
    expect(key.trust.keys).toEqual([expect.objectContaining({ kid: "cards-2026", alg: "ES256", kty: "EC" })]);
    expect(JSON.stringify(key.trust)).not.toContain('"d"');
    const card = await signAgentCard(agentCard(template, { url: "http://127.0.0.1:1/a2a" }), key.signer);
    await expect(verifyAgentCard(card, key.trust)).resolves.toEqual({ keyIds: ["cards-2026"] });
  });

  it("makes a throwaway Ed25519 key without a file", async () => {
    const key = await cardSigningKey(undefined, "dev");
    expect(key.signer.algorithm).toBe("EdDSA");
    expect(key.trust.keys).toEqual([expect.objectContaining({ kid: "dev", crv: "Ed25519" })]);
  });

  it("refuses an unreadable or non-key file with a ConfigError naming A2A_CARD_KEY_FILE", async () => {
    const notAKey = join(dir, "not-a-key.pem");
    await writeFile(notAKey, "hello");
    await expect(cardSigningKey(notAKey, "k")).rejects.toMatchObject({ variable: "A2A_CARD_KEY_FILE" });
    await expect(cardSigningKey(join(dir, "missing.pem"), "k")).rejects.toMatchObject({
      variable: "A2A_CARD_KEY_FILE",
    });
  });
});
