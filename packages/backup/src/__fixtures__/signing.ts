import { generateKeyPairSync, type KeyObject } from "node:crypto";
import { localKeySigner, type Signer, type TrustPolicyDocument } from "@nextgen/core";

/** An Ed25519 key pair with its signer and public JWK. */
export interface TestSigningKey {
  readonly keyId: string;
  readonly privateKey: KeyObject;
  readonly signer: Signer;
  readonly publicJwk: Record<string, unknown>;
}

/** Makes a fresh Ed25519 key. */
export function makeSigningKey(keyId: string): TestSigningKey {
  const { privateKey, publicKey } = generateKeyPairSync("ed25519");
  return {
    keyId,
    privateKey,
    signer: localKeySigner({ key: privateKey, keyId }),
    publicJwk: { ...publicKey.export({ format: "jwk" }), kid: keyId, alg: "EdDSA" },
  };
}

/** A trust policy that delegates `nextgen-backup/*` to `keys`. */
export function backupTrustDocument(keys: readonly TestSigningKey[], threshold = 1): TrustPolicyDocument {
  return {
    version: 1,
    keys: keys.map((key) => key.publicJwk),
    delegations: [{ ids: ["nextgen-backup/*"], keys: keys.map((key) => key.keyId), threshold }],
  } as unknown as TrustPolicyDocument;
}
