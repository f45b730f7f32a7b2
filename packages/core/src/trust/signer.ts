/** Signature algorithms the SDK signs and verifies with. `none` and HMAC never are. */
export type SignatureAlgorithm = "EdDSA" | "ES256" | "PS256" | "RS256";

/** Options of `Signer.sign`. */
export interface SignOptions {
  /** Aborts a slow signer (an external command, a KMS call). */
  signal?: AbortSignal;
}

/**
 * Produces raw signatures over bytes. The bytes are the JWS signing input
 * (`base64url(protected) + "." + base64url(payload)`). A local key signer ships in core;
 * `commandSigner` keeps the key out of the process. Run `testSigner` from
 * `@nextgen/core/testing` against an implementation.
 */
export interface Signer {
  /** The key id written in the protected header (`kid`). */
  readonly keyId: string;
  /** The JWS algorithm (`alg`). */
  readonly algorithm: SignatureAlgorithm;
  /** Signs `bytes` and returns the raw JWS signature (for ES256: the 64-byte R‖S form). */
  sign(bytes: Uint8Array, options?: SignOptions): Promise<Uint8Array>;
}
