import type { SignatureAlgorithm } from "./signer.js";

/** A public key of the trust policy: a JWK with a `kid` and an optional validity window. */
export interface TrustedKey {
  /** Key id, as written in signatures' `kid`. Unique within the policy. */
  kid: string;
  /** `OKP` (Ed25519), `EC` (P-256) or `RSA` (≥ 2048 bits). */
  kty: "OKP" | "EC" | "RSA";
  /** Curve: `Ed25519` or `P-256`. */
  crv?: string;
  /** Public x coordinate (OKP, EC). */
  x?: string;
  /** Public y coordinate (EC). */
  y?: string;
  /** RSA modulus. */
  n?: string;
  /** RSA exponent. */
  e?: string;
  /** The one algorithm this key may be used with (recommended; RSA keys otherwise fit PS256 and RS256). */
  alg?: SignatureAlgorithm;
  /** Signatures by this key count from this instant on (ISO 8601). */
  notBefore?: string;
  /** Signatures by this key stop counting after this instant (ISO 8601). */
  notAfter?: string;
  /** When true, the key is revoked (same as listing its kid in `revoked`). */
  revoked?: boolean;
  /** Free-form note (owner, where the private key lives). */
  comment?: string;
}

/** A delegation: templates whose id matches one of `ids` need `threshold` of `keys`. */
export interface TrustDelegation {
  /** Id patterns: exact ids or a trailing `*` (`security/*`, `*`). */
  ids: string[];
  /** Key ids allowed to sign these templates. */
  keys: string[];
  /**
   * Distinct keys among `keys` that must sign.
   * @default 1
   */
  threshold?: number;
}

/** The `trust.json` document, version 1 (schema: `@nextgen/core/schema/trust-policy.v1.json`). */
export interface TrustPolicyDocument {
  /** Format version: always 1. */
  version: 1;
  /**
   * Whether templates must be signed. Turning it off is explicit and warns once per
   * process; it also turns off rollback checks (without signatures, whoever can write a
   * template can raise its version anyway).
   * @default true
   */
  requireSignatures?: boolean;
  /**
   * Algorithms accepted. `none` and HMAC can never be listed.
   * @default ["EdDSA", "ES256", "PS256", "RS256"]
   */
  algorithms?: SignatureAlgorithm[];
  /** Trusted public keys. */
  keys: TrustedKey[];
  /** Revoked key ids: their signatures never count. */
  revoked?: string[];
  /** Per-id-pattern rules; the first matching one decides. */
  delegations?: TrustDelegation[];
  /**
   * Signatures needed from distinct keys of `keys` for ids that match no delegation.
   * @default 1
   */
  defaultThreshold?: number;
  /**
   * Fields a create-time override (`factory.create(id, { overrides })`) may change, as
   * dotted paths (`config.temperature`; a path also covers what is below it). Anything
   * else is refused with `NG_ERR_TRUST_OVERRIDE_REFUSED`: an override may tune an agent,
   * never widen what its signed template grants. Limits (`config.maxTokens`,
   * `config.timeoutMs`, `config.maxSteps`, `config.maxRetries`) may only be lowered.
   * @default ["config.temperature", "config.maxTokens", "config.timeoutMs"]
   */
  overridable?: string[];
}
