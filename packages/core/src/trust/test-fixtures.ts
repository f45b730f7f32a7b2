// Test helpers for the trust tests (not exported from the package).
import { generateKeyPairSync, type KeyObject } from "node:crypto";
import type { AgentTemplate } from "../template/types.js";
import { localKeySigner } from "./local-key-signer.js";
import type { SignatureAlgorithm, Signer } from "./signer.js";
import type { TrustedKey } from "./trust-policy-document.js";

/** A generated key pair with its signer and policy entry. */
export interface TestKey {
  kid: string;
  privateKey: KeyObject;
  publicJwk: TrustedKey;
  signer: Signer;
}

/** A fresh key pair that fits `algorithm`: Ed25519, P-256, or RSA 2048 for PS256/RS256. */
export function keyPairFor(algorithm: SignatureAlgorithm): { publicKey: KeyObject; privateKey: KeyObject } {
  return algorithm === "EdDSA"
    ? generateKeyPairSync("ed25519")
    : algorithm === "ES256"
      ? generateKeyPairSync("ec", { namedCurve: "P-256" })
      : generateKeyPairSync("rsa", { modulusLength: 2048 });
}

/** Generates a key for `algorithm` (RSA 2048 for PS256/RS256). */
export function makeTestKey(
  kid: string,
  algorithm: SignatureAlgorithm = "EdDSA",
  extra: Partial<TrustedKey> = {},
): TestKey {
  const pair = keyPairFor(algorithm);
  const publicJwk = { ...pair.publicKey.export({ format: "jwk" }), kid, alg: algorithm, ...extra } as TrustedKey;
  return {
    kid,
    privateKey: pair.privateKey,
    publicJwk,
    signer: localKeySigner({ key: pair.privateKey, keyId: kid, algorithm }),
  };
}

/** A small valid template. */
export function sampleTemplate(overrides: Partial<AgentTemplate> = {}): AgentTemplate {
  return {
    schemaVersion: 1,
    id: "security/auditor",
    version: "1.2.0",
    name: "Security Auditor",
    role: "specialist",
    description: "Finds vulnerabilities.",
    tools: ["semgrep"],
    config: { model: "gpt-4o", temperature: 0.2 },
    ...overrides,
  };
}

/** A fixed clock: 2026-06-01T00:00:00Z unless moved. */
export function fixedClock(start: number = Date.parse("2026-06-01T00:00:00Z")): {
  now: () => number;
  set(ms: number): void;
} {
  let current = start;
  return {
    now: () => current,
    set(ms: number) {
      current = ms;
    },
  };
}
