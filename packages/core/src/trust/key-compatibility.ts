import type { KeyObject } from "node:crypto";
import { NextGenError } from "../errors/next-gen-error.js";
import type { SignatureAlgorithm } from "./signer.js";

/** The algorithms the SDK signs and verifies with, in order of preference. */
export const SIGNATURE_ALGORITHMS: readonly SignatureAlgorithm[] = ["EdDSA", "ES256", "PS256", "RS256"];

/** Smallest RSA modulus accepted, in bits. */
export const MIN_RSA_BITS = 2048;

/** @internal Whether `value` is one of the supported algorithms. */
export function isSignatureAlgorithm(value: unknown): value is SignatureAlgorithm {
  return typeof value === "string" && (SIGNATURE_ALGORITHMS as readonly string[]).includes(value);
}

/** @internal The algorithms a key can be used with (RSA keys fit both PS256 and RS256). */
export function algorithmsForKey(key: KeyObject): SignatureAlgorithm[] {
  const details = key.asymmetricKeyDetails;
  switch (key.asymmetricKeyType) {
    case "ed25519":
      return ["EdDSA"];
    case "ec":
      return details?.namedCurve === "prime256v1" ? ["ES256"] : [];
    case "rsa":
      return (details?.modulusLength ?? 0) >= MIN_RSA_BITS ? ["PS256", "RS256"] : [];
    default:
      return [];
  }
}

/** @internal A short description of a key for error messages (`rsa 1024-bit`, `ec secp384r1`). */
export function describeKey(key: KeyObject): string {
  const details = key.asymmetricKeyDetails;
  if (key.type === "secret") return "a symmetric (secret) key";
  if (key.asymmetricKeyType === "rsa") return `an RSA ${details?.modulusLength ?? "?"}-bit key`;
  if (key.asymmetricKeyType === "ec") return `an EC ${details?.namedCurve ?? "?"} key`;
  return `an ${key.asymmetricKeyType ?? "unknown"} key`;
}

/**
 * @internal Throws `NG_ERR_TRUST_KEY_INVALID` unless `key` is strong enough for and
 * matches `algorithm` (Ed25519 for EdDSA, P-256 for ES256, RSA ≥ 2048 bits for PS256/RS256).
 */
export function assertKeyFitsAlgorithm(key: KeyObject, algorithm: SignatureAlgorithm, keyId: string): void {
  if (key.type === "secret") {
    throw new NextGenError("NG_ERR_TRUST_KEY_INVALID", `key "${keyId}" is a symmetric key; HMAC is never accepted`);
  }
  if (algorithmsForKey(key).includes(algorithm)) return;
  const needed = {
    EdDSA: "an Ed25519 key",
    ES256: "an EC P-256 key",
    PS256: "an RSA key of ≥ 2048 bits",
    RS256: "an RSA key of ≥ 2048 bits",
  }[algorithm];
  throw new NextGenError(
    "NG_ERR_TRUST_KEY_INVALID",
    `key "${keyId}" is ${describeKey(key)}; ${algorithm} needs ${needed}`,
  );
}
