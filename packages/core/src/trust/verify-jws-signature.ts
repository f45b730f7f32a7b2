import { type KeyObject, verify } from "node:crypto";
import { jwsParameters } from "./jws-algorithm.js";
import { signingInput } from "./jws-envelope.js";
import type { SignatureAlgorithm } from "./signer.js";

/** Raw signature lengths, in bytes, where the algorithm fixes one (RFC 8037 §3.1, RFC 7518 §3.4). */
const FIXED_LENGTH: Partial<Record<SignatureAlgorithm, number>> = { EdDSA: 64, ES256: 64 };

/**
 * @internal Whether `signature` is `algorithm`'s signature by `key` over the JWS signing input
 * `protected.payload` (both already base64url, RFC 7515 §5.2). Synchronous: one node:crypto
 * call on this thread (an Ed25519 check is about 50 µs), with no hop to libuv's thread pool —
 * the hop cost a cold create more time than the check, and left it waiting for a core
 * whenever the machine was busy. The caller has already judged the header (`alg` allowed for
 * this key, no `crit`, no `b64`), so this is the cryptography alone, as jose's
 * `flattenedVerify` does it after its own checks. Never throws: a malformed signature or a
 * key that refuses it is `false`.
 */
export function verifyJwsSignature(
  algorithm: SignatureAlgorithm,
  key: KeyObject,
  encodedProtected: string,
  encodedPayload: string,
  signature: Uint8Array,
): boolean {
  const length = FIXED_LENGTH[algorithm];
  if (length !== undefined && signature.byteLength !== length) return false;
  const [digest, parameters] = jwsParameters(algorithm, key);
  try {
    return verify(digest, signingInput(encodedProtected, encodedPayload), parameters, signature);
  } catch {
    return false;
  }
}
