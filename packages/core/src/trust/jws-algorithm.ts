import { constants, type KeyObject } from "node:crypto";
import type { SignatureAlgorithm } from "./signer.js";

/**
 * @internal How node:crypto signs and verifies each JWS algorithm (RFC 7518 §3): the digest
 * (`null` for EdDSA, which hashes inside) and the key parameters. ES256 signatures are r‖s
 * (`ieee-p1363`), not DER; PS256 uses a salt as long as the hash (32 bytes), as RFC 7518 §3.5
 * requires and WebCrypto (what jose uses) checks — never OpenSSL's "any salt length".
 */
export function jwsParameters(
  algorithm: SignatureAlgorithm,
  key: KeyObject,
): [
  digest: "sha256" | null,
  parameters: {
    key: KeyObject;
    dsaEncoding?: "ieee-p1363";
    padding?: number;
    saltLength?: number;
  },
] {
  switch (algorithm) {
    case "EdDSA":
      return [null, { key }];
    case "ES256":
      return ["sha256", { key, dsaEncoding: "ieee-p1363" }];
    case "PS256":
      return ["sha256", { key, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: 32 }];
    case "RS256":
      return ["sha256", { key, padding: constants.RSA_PKCS1_PADDING }];
  }
}
