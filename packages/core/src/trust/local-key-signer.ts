import { createPrivateKey, sign as cryptoSign, type KeyObject } from "node:crypto";
import type { JWK } from "jose";
import { NextGenError } from "../errors/next-gen-error.js";
import { OptionsError } from "../errors/options-error.js";
import { jwsParameters } from "./jws-algorithm.js";
import { algorithmsForKey, assertKeyFitsAlgorithm, isSignatureAlgorithm } from "./key-compatibility.js";
import type { SignatureAlgorithm, Signer, SignOptions } from "./signer.js";

/** Options of {@link localKeySigner}. */
export interface LocalKeySignerOptions {
  /** The private key: a PKCS#8 PEM string, a private JWK (with `d`) or a Node `KeyObject`. */
  key: string | JWK | KeyObject;
  /** Key id written in each signature's `kid`; must match the policy's key. */
  keyId: string;
  /**
   * JWS algorithm. Must fit the key: EdDSA (Ed25519), ES256 (P-256), PS256 or RS256 (RSA ≥ 2048 bits).
   * Required for RSA keys.
   * @default the JWK's `alg`, else the key's one algorithm (EdDSA for Ed25519, ES256 for P-256)
   */
  algorithm?: SignatureAlgorithm;
}

function importPrivateKey(key: LocalKeySignerOptions["key"], keyId: string): KeyObject {
  try {
    if (typeof key === "string") return createPrivateKey({ key, format: "pem" });
    if ("asymmetricKeyType" in key || "symmetricKeySize" in key) return key as KeyObject;
    return createPrivateKey({ key: key as Parameters<typeof createPrivateKey>[0] & object as never, format: "jwk" });
  } catch (error) {
    throw new NextGenError("NG_ERR_TRUST_KEY_INVALID", `key "${keyId}" is not a readable private key`, {
      cause: error,
    });
  }
}

/** @internal Signs `bytes` as JWS `algorithm` with a Node key, returning the raw JWS signature. */
export function signWithKey(algorithm: SignatureAlgorithm, key: KeyObject, bytes: Uint8Array): Promise<Uint8Array> {
  const [digest, parameters] = jwsParameters(algorithm, key);
  return new Promise((resolve, reject) => {
    cryptoSign(digest, bytes, parameters, (error, signature) => {
      if (error)
        reject(new NextGenError("NG_ERR_TRUST_SIGNER_FAILED", `signing failed: ${error.message}`, { cause: error }));
      else resolve(new Uint8Array(signature));
    });
  });
}

/**
 * A signer holding its private key in this process. Refuses keys that do not fit the
 * algorithm or are too weak (`NG_ERR_TRUST_KEY_INVALID`). For keys that must never enter
 * the process, use {@link commandSigner}.
 *
 * @example
 * ```ts
 * const signer = localKeySigner({ key: await readFile("release.pem", "utf8"), keyId: "release-2026" });
 * const signed = await signTemplate(template, signer);
 * ```
 */
export function localKeySigner(options: LocalKeySignerOptions): Signer {
  if (typeof options.keyId !== "string" || options.keyId.length === 0) {
    throw new OptionsError("options.keyId", "must be a non-empty string");
  }
  if (typeof options.key !== "string" && (typeof options.key !== "object" || options.key === null)) {
    throw new OptionsError("options.key", "must be a PKCS#8 PEM string, a private JWK or a private KeyObject");
  }
  const jwkAlgorithm = typeof options.key === "object" && "alg" in options.key ? options.key.alg : undefined;
  const requested = options.algorithm ?? (jwkAlgorithm as SignatureAlgorithm | undefined);
  if (requested !== undefined && !isSignatureAlgorithm(requested)) {
    throw new OptionsError("options.algorithm", `must be one of EdDSA, ES256, PS256, RS256 (got ${String(requested)})`);
  }
  const key = importPrivateKey(options.key, options.keyId);
  if (key.type !== "private") {
    throw new NextGenError("NG_ERR_TRUST_KEY_INVALID", `key "${options.keyId}" is not a private key`);
  }
  // An Ed25519 or P-256 key has one algorithm; an RSA key fits two, so it must be named.
  const fitting = algorithmsForKey(key);
  if (requested === undefined && fitting.length > 1) {
    throw new OptionsError("options.algorithm", "is required for RSA keys: PS256 or RS256");
  }
  const algorithm: SignatureAlgorithm = requested ?? fitting[0] ?? "EdDSA";
  assertKeyFitsAlgorithm(key, algorithm, options.keyId);
  return {
    keyId: options.keyId,
    algorithm,
    async sign(bytes: Uint8Array, signOptions?: SignOptions): Promise<Uint8Array> {
      signOptions?.signal?.throwIfAborted();
      return signWithKey(algorithm, key, bytes);
    },
  };
}
