import { createPublicKey, generateKeyPairSync, type KeyObject } from "node:crypto";
import { readFile } from "node:fs/promises";
import { localKeySigner, type Signer, type TrustedKey, type TrustPolicyDocument } from "@nextgen/core";
import { ConfigError } from "../config/config-error.js";

/** The key the service signs its A2A agent cards with, and the trust document that verifies them. */
export interface CardSigningKey {
  readonly signer: Signer;
  /** A `trust.json` document holding only the public key: `verifyAgentCard(card, trust)`. */
  readonly trust: TrustPolicyDocument;
}

/**
 * Loads the card signing key from `A2A_CARD_KEY_FILE` (a PKCS#8 PEM Ed25519 or P-256 private
 * key), or makes a throwaway Ed25519 key when none is configured (development: the cards
 * change signer at each start). Throws a `ConfigError` naming `A2A_CARD_KEY_FILE` when the
 * file is unusable.
 *
 * @example
 * ```ts
 * const { signer, trust } = await cardSigningKey(config.a2aCardKeyFile, config.a2aCardKeyId);
 * ```
 */
export async function cardSigningKey(file: string | undefined, keyId: string): Promise<CardSigningKey> {
  let privateKey: KeyObject | string;
  let signer: Signer;
  try {
    privateKey = file === undefined ? generateKeyPairSync("ed25519").privateKey : await readFile(file, "utf8");
    signer = localKeySigner({ key: privateKey, keyId });
  } catch (error) {
    throw new ConfigError("A2A_CARD_KEY_FILE", `is not a usable private key: ${(error as Error).message}`, {
      cause: error,
    });
  }
  const jwk = createPublicKey(privateKey).export({ format: "jwk" });
  const key = { ...jwk, kid: keyId, alg: signer.algorithm } as TrustedKey;
  return { signer, trust: { version: 1, keys: [key] } };
}
