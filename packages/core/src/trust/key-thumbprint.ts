import { createHash, type KeyObject } from "node:crypto";

// RFC 7638 §3.2: only the required members, in lexicographic order, no whitespace.
const REQUIRED_MEMBERS: Readonly<Record<string, readonly string[]>> = {
  OKP: ["crv", "kty", "x"],
  EC: ["crv", "kty", "x", "y"],
  RSA: ["e", "kty", "n"],
};

/**
 * @internal The RFC 7638 SHA-256 thumbprint (base64url) of a public key. It is computed
 * from the key as Node normalises it (`KeyObject.export({ format: "jwk" })`), so two
 * spellings of the same key (an RSA modulus with a leading zero octet, say) have one
 * thumbprint: equal thumbprints mean the same key material. Synchronous on purpose, so a
 * policy compiles in one step; it equals jose's `calculateJwkThumbprint` (tested).
 */
export function keyThumbprint(key: KeyObject): string {
  const jwk = key.export({ format: "jwk" }) as Record<string, unknown>;
  const members = REQUIRED_MEMBERS[String(jwk.kty)] ?? [];
  const ordered: Record<string, unknown> = {};
  for (const member of members) ordered[member] = jwk[member];
  return createHash("sha256").update(JSON.stringify(ordered)).digest("base64url");
}

/** The only RSA public exponent accepted (F4). A tiny `e` (1, 2, 3) lets anyone forge or weakens padding. */
export const RSA_PUBLIC_EXPONENT = "AQAB" as const;

/** @internal Why an RSA key's exponent is refused, or undefined when it is 65537 (or the key is not RSA). */
export function weakRsaExponent(key: KeyObject): string | undefined {
  if (key.asymmetricKeyType !== "rsa" && key.asymmetricKeyType !== "rsa-pss") return undefined;
  const exponent = key.asymmetricKeyDetails?.publicExponent;
  if (exponent === 65537n) return undefined;
  return `has public exponent ${exponent ?? "?"}; RSA keys must use e = 65537 (a small exponent such as 1 lets anyone forge signatures)`;
}
