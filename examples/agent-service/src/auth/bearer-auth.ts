import { readFile } from "node:fs/promises";
import { type Clock, NextGenError, OptionsError, wallClock } from "@nextgen/core";
import { createLocalJWKSet, errors, type JSONWebKeySet, jwtVerify } from "jose";
import { ConfigError } from "../config/config-error.js";
import type { ServiceErrorCode } from "../errors/service-error-codes.js";

/** Who a verified token says the caller is. */
export interface Principal {
  /** The token's `sub`. */
  subject: string;
  /** The token's `roles` claim (strings only). */
  roles: readonly string[];
}

/** Verifies `Authorization` headers. */
export type Authenticate = (authorization: string | undefined) => Promise<Principal>;

/** Asymmetric algorithms only: `none` and HMAC (`HS*`) are always refused. */
export const TOKEN_ALGORITHMS: readonly string[] = [
  "EdDSA",
  "ES256",
  "ES384",
  "ES512",
  "PS256",
  "PS384",
  "PS512",
  "RS256",
  "RS384",
  "RS512",
];
const MAX_TOKEN_CHARS = 8 * 1024;
/** Verified tokens remembered (by their exact text) until they expire, at most this long. */
const VERIFIED_TTL_MS = 5 * 60_000;
const MAX_VERIFIED = 10_000;
const MAX_JWKS_BYTES = 1024 * 1024;

/**
 * Checks a JWKS for the service: public asymmetric keys only (an `oct` key would let
 * whoever holds it mint tokens, and a private member means a leaked private key).
 */
export function checkJwks(document: unknown, variable = "AUTH_JWKS_FILE"): JSONWebKeySet {
  const keys = (document as { keys?: unknown })?.keys;
  if (!Array.isArray(keys) || keys.length === 0)
    throw new ConfigError(variable, 'must be a JWK set { "keys": [ … ] } with at least one key');
  keys.forEach((key: Record<string, unknown>, index) => {
    if (typeof key !== "object" || key === null) throw new ConfigError(variable, `keys[${index}] must be a JWK object`);
    if (!["OKP", "EC", "RSA"].includes(key.kty as string)) {
      throw new ConfigError(
        variable,
        `keys[${index}]: kty ${JSON.stringify(key.kty)} is refused (asymmetric OKP, EC or RSA keys only; HMAC is never accepted)`,
      );
    }
    if ("d" in key)
      throw new ConfigError(variable, `keys[${index}] holds a private key ("d"); publish the public key only`);
  });
  return document as JSONWebKeySet;
}

/**
 * Reads `AUTH_JWKS_FILE` (bounded to 1 MiB) and checks it with {@link checkJwks}.
 *
 * @example
 * ```ts
 * const jwks = await loadJwksFile("/etc/nextgen/jwks.json");
 * ```
 */
export async function loadJwksFile(path: string): Promise<JSONWebKeySet> {
  let document: unknown;
  try {
    const bytes = await readFile(path);
    if (bytes.length > MAX_JWKS_BYTES) throw new Error("larger than 1 MiB");
    document = JSON.parse(bytes.toString("utf8"));
  } catch (error) {
    throw new ConfigError("AUTH_JWKS_FILE", `cannot read ${path} as JSON: ${(error as Error).message}`, {
      cause: error,
    });
  }
  return checkJwks(document);
}

/**
 * Bearer-token authentication with `jose`: the token must be a JWS signed by a key of
 * `jwks` with an asymmetric algorithm, unexpired, and with `issuer` / `audience` when
 * given. Missing header → `NG_ERR_AUTH_MISSING`; anything else wrong → `NG_ERR_AUTH_INVALID`.
 *
 * @example
 * ```ts
 * const authenticate = bearerAuthenticator({ jwks, issuer: "https://id.example.com" });
 * const { subject, roles } = await authenticate(request.headers.authorization);
 * ```
 */
export function bearerAuthenticator(options: {
  jwks: JSONWebKeySet;
  issuer?: string | undefined;
  audience?: string | undefined;
  /**
   * The wall clock (ms since the Unix epoch) that token `exp` / `nbf` are checked against,
   * and that bounds how long a verified token is remembered.
   * @default wallClock
   */
  clock?: Clock;
}): Authenticate {
  if (options.clock !== undefined && typeof (options.clock as Partial<Clock> | null)?.now !== "function") {
    throw new OptionsError("options.clock", "must be a Clock, an object with a now() method returning milliseconds.");
  }
  const clock = options.clock ?? wallClock;
  const keySet = createLocalJWKSet(options.jwks);
  const verifyOptions = {
    algorithms: [...TOKEN_ALGORITHMS],
    ...(options.issuer === undefined ? {} : { issuer: options.issuer }),
    ...(options.audience === undefined ? {} : { audience: options.audience }),
  };
  // A token verified once is the same token until it expires: remembering its verdict saves a
  // signature verification per request (the largest cost of a request after the agent). Only
  // successes are remembered, keyed by the exact token text, never past `exp`.
  const verified = new Map<string, { principal: Principal; untilMs: number }>();
  return async (authorization) => {
    if (authorization === undefined || authorization === "") {
      throw new NextGenError<ServiceErrorCode>(
        "NG_ERR_AUTH_MISSING",
        "This operation needs an Authorization: Bearer <JWT> header.",
      );
    }
    const match = /^Bearer ([A-Za-z0-9._~+/-]+=*)$/i.exec(authorization);
    if (!match || match[1]!.length > MAX_TOKEN_CHARS) {
      throw new NextGenError<ServiceErrorCode>(
        "NG_ERR_AUTH_INVALID",
        "The Authorization header is not a bearer token.",
      );
    }
    const token = match[1]!;
    const now = clock.now();
    const remembered = verified.get(token);
    if (remembered !== undefined) {
      if (now < remembered.untilMs) return remembered.principal;
      verified.delete(token);
    }
    try {
      const { payload } = await jwtVerify(token, keySet, { ...verifyOptions, currentDate: new Date(now) });
      const roles = Array.isArray(payload.roles)
        ? payload.roles.filter((role): role is string => typeof role === "string")
        : [];
      if (typeof payload.sub !== "string" || payload.sub === "") throw new Error("the token has no subject (sub)");
      const principal: Principal = Object.freeze({ subject: payload.sub, roles: Object.freeze(roles) });
      const expiresMs = typeof payload.exp === "number" ? payload.exp * 1000 : Number.POSITIVE_INFINITY;
      if (verified.size >= MAX_VERIFIED) verified.delete(verified.keys().next().value!);
      verified.set(token, { principal, untilMs: Math.min(now + VERIFIED_TTL_MS, expiresMs) });
      return principal;
    } catch (error) {
      const why =
        error instanceof errors.JOSEAlgNotAllowed
          ? "its algorithm is not allowed (none and HMAC are always refused)"
          : error instanceof errors.JWTExpired
            ? "it has expired"
            : error instanceof errors.JWTClaimValidationFailed
              ? `claim ${error.claim} is not valid`
              : error instanceof errors.JWKSNoMatchingKey
                ? "no trusted key matches it"
                : "it does not verify";
      throw new NextGenError<ServiceErrorCode>("NG_ERR_AUTH_INVALID", `The bearer token was refused: ${why}.`, {
        cause: error,
      });
    }
  };
}
