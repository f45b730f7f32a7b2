import { createPublicKey, type JsonWebKey, type KeyObject } from "node:crypto";
import { NextGenError } from "../errors/next-gen-error.js";
import {
  algorithmsForKey,
  describeKey,
  isSignatureAlgorithm,
  MIN_RSA_BITS,
  SIGNATURE_ALGORITHMS,
} from "./key-compatibility.js";
import { keyThumbprint, weakRsaExponent } from "./key-thumbprint.js";
import type { SignatureAlgorithm } from "./signer.js";
import type { TrustedKey, TrustPolicyDocument } from "./trust-policy-document.js";

/** @internal A policy key ready for verification. */
export interface CompiledKey {
  readonly kid: string;
  readonly jwk: TrustedKey;
  readonly keyObject: KeyObject;
  /** Algorithms this key may verify (its `alg`, or what its type allows). */
  readonly algorithms: readonly SignatureAlgorithm[];
  readonly notBeforeMs: number | undefined;
  readonly notAfterMs: number | undefined;
  readonly revoked: boolean;
  /** RFC 7638 SHA-256 thumbprint of the key material (base64url). */
  readonly thumbprint: string;
}

/** @internal A delegation with its patterns compiled. */
export interface CompiledDelegation {
  readonly patterns: readonly string[];
  readonly keyIds: ReadonlySet<string>;
  readonly threshold: number;
}

/** @internal A validated, normalised trust policy. */
export interface CompiledTrustPolicy {
  readonly requireSignatures: boolean;
  readonly algorithms: ReadonlySet<SignatureAlgorithm>;
  readonly keys: ReadonlyMap<string, CompiledKey>;
  readonly delegations: readonly CompiledDelegation[];
  readonly defaultThreshold: number;
  /** Fields a create-time override may change (dotted paths such as `config.temperature`). */
  readonly overridable: readonly string[];
  /** The document, normalised (for `toJSON`). */
  readonly document: TrustPolicyDocument;
}

const TOP_LEVEL = new Set([
  "$schema",
  "version",
  "requireSignatures",
  "algorithms",
  "keys",
  "revoked",
  "delegations",
  "defaultThreshold",
  "overridable",
]);

/**
 * What `create(id, { overrides })` may change when a policy does not say: tuning only,
 * never what an agent may do.
 *
 * @example
 * ```ts
 * const policy = trustPolicy({ version: 1, keys, overridable: [...DEFAULT_OVERRIDABLE, "metadata.tags"] }, { stateStore });
 * ```
 */
export const DEFAULT_OVERRIDABLE: readonly string[] = Object.freeze([
  "config.temperature",
  "config.maxTokens",
  "config.timeoutMs",
]);
const OVERRIDABLE_PATH = /^[a-zA-Z][a-zA-Z0-9]*(\.[a-zA-Z][a-zA-Z0-9]*)*$/;
const KEY_MEMBERS = new Set([
  "kid",
  "kty",
  "crv",
  "x",
  "y",
  "n",
  "e",
  "alg",
  "use",
  "key_ops",
  "notBefore",
  "notAfter",
  "revoked",
  "comment",
]);
const PRIVATE_MEMBERS = ["d", "p", "q", "dp", "dq", "qi", "k", "oth"];
const DELEGATION_MEMBERS = new Set(["ids", "keys", "threshold"]);
const ID_PATTERN = /^(\*|[a-z0-9-]+(\/[a-z0-9-]+)*(\/\*)?)$/;

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === "object" && value !== null && !Array.isArray(value);
const isPositiveInteger = (value: unknown): value is number => Number.isInteger(value) && (value as number) >= 1;

function parseInstant(value: unknown, path: string, problems: string[]): number | undefined {
  if (value === undefined) return undefined;
  const time = typeof value === "string" && /^\d{4}-\d{2}-\d{2}T/.test(value) ? Date.parse(value) : Number.NaN;
  if (Number.isNaN(time)) problems.push(`${path} must be an ISO 8601 date-time (got ${JSON.stringify(value)})`);
  return time;
}

function compileKey(raw: unknown, path: string, problems: string[]): CompiledKey | undefined {
  if (!isRecord(raw)) return void problems.push(`${path} must be an object (a JWK)`);
  for (const member of Object.keys(raw)) {
    if (PRIVATE_MEMBERS.includes(member))
      problems.push(`${path}.${member} is private key material; a trust policy holds public keys only`);
    else if (!KEY_MEMBERS.has(member)) problems.push(`${path}.${member} is not a known member`);
  }
  const kid = raw.kid;
  if (typeof kid !== "string" || kid.length === 0) return void problems.push(`${path}.kid must be a non-empty string`);
  if (raw.alg !== undefined && !isSignatureAlgorithm(raw.alg)) {
    problems.push(
      `${path}.alg must be one of ${SIGNATURE_ALGORITHMS.join(", ")} (got ${JSON.stringify(raw.alg)}); none and HMAC are never accepted`,
    );
    return undefined;
  }
  if (raw.revoked !== undefined && typeof raw.revoked !== "boolean") problems.push(`${path}.revoked must be a boolean`);
  let keyObject: KeyObject;
  try {
    if (!["OKP", "EC", "RSA"].includes(raw.kty as string))
      throw new Error(`kty ${JSON.stringify(raw.kty)} is not OKP, EC or RSA`);
    const { notBefore: _nb, notAfter: _na, revoked: _r, comment: _c, ...jwk } = raw;
    keyObject = createPublicKey({ key: jwk as JsonWebKey, format: "jwk" });
  } catch (error) {
    return void problems.push(`${path} (kid "${kid}") is not a usable public key: ${(error as Error).message}`);
  }
  const weakExponent = weakRsaExponent(keyObject);
  if (weakExponent !== undefined) return void problems.push(`${path} (kid "${kid}") ${weakExponent}`);
  const fitting = algorithmsForKey(keyObject);
  if (fitting.length === 0) {
    return void problems.push(
      `${path} (kid "${kid}") is ${describeKey(keyObject)}; use Ed25519, P-256 or RSA ≥ ${MIN_RSA_BITS} bits`,
    );
  }
  if (raw.alg !== undefined && !fitting.includes(raw.alg as SignatureAlgorithm)) {
    return void problems.push(`${path}.alg ${raw.alg} does not fit ${describeKey(keyObject)}`);
  }
  const notBeforeMs = parseInstant(raw.notBefore, `${path}.notBefore`, problems);
  const notAfterMs = parseInstant(raw.notAfter, `${path}.notAfter`, problems);
  if (notBeforeMs !== undefined && notAfterMs !== undefined && notBeforeMs >= notAfterMs) {
    problems.push(`${path}.notBefore must be before ${path}.notAfter`);
  }
  return {
    kid,
    jwk: raw as unknown as TrustedKey,
    keyObject,
    algorithms: raw.alg === undefined ? fitting : [raw.alg as SignatureAlgorithm],
    notBeforeMs,
    notAfterMs,
    revoked: raw.revoked === true,
    thumbprint: keyThumbprint(keyObject),
  };
}

/**
 * @internal Validates a `trust.json` document and compiles it. Throws
 * `NG_ERR_TRUST_POLICY_INVALID` listing every problem.
 */
export function compileTrustPolicy(input: unknown, origin = "trust policy"): CompiledTrustPolicy {
  const problems: string[] = [];
  if (!isRecord(input)) throw new NextGenError("NG_ERR_TRUST_POLICY_INVALID", `${origin}: must be a JSON object`);
  for (const member of Object.keys(input)) if (!TOP_LEVEL.has(member)) problems.push(`${member} is not a known member`);
  if (input.version !== 1) problems.push(`version must be 1 (got ${JSON.stringify(input.version)})`);
  if (input.requireSignatures !== undefined && typeof input.requireSignatures !== "boolean")
    problems.push("requireSignatures must be a boolean");

  const algorithms = new Set<SignatureAlgorithm>();
  if (input.algorithms === undefined) for (const algorithm of SIGNATURE_ALGORITHMS) algorithms.add(algorithm);
  else if (!Array.isArray(input.algorithms) || input.algorithms.length === 0)
    problems.push("algorithms must be a non-empty array");
  else
    input.algorithms.forEach((algorithm, index) => {
      if (isSignatureAlgorithm(algorithm)) algorithms.add(algorithm);
      else
        problems.push(
          `algorithms[${index}] ${JSON.stringify(algorithm)} is not allowed: use ${SIGNATURE_ALGORITHMS.join(", ")} (none and HMAC never are)`,
        );
    });

  const keys = new Map<string, CompiledKey>();
  // One key listed under two kids would count twice toward a threshold: refuse it by thumbprint.
  const kidByThumbprint = new Map<string, string>();
  if (!Array.isArray(input.keys)) problems.push("keys must be an array of JWKs");
  else
    input.keys.forEach((raw, index) => {
      const key = compileKey(raw, `keys[${index}]`, problems);
      if (key === undefined) return;
      if (keys.has(key.kid)) problems.push(`keys[${index}].kid "${key.kid}" is used by two keys`);
      const twin = kidByThumbprint.get(key.thumbprint);
      if (twin !== undefined && twin !== key.kid)
        problems.push(
          `keys[${index}] (kid "${key.kid}") is the same key material as kid "${twin}" (RFC 7638 thumbprint ${key.thumbprint}); one key must have one kid, or it would count twice toward a threshold`,
        );
      kidByThumbprint.set(key.thumbprint, key.kid);
      keys.set(key.kid, key);
    });

  const revoked = new Set<string>();
  if (input.revoked !== undefined) {
    if (!Array.isArray(input.revoked) || !input.revoked.every((kid) => typeof kid === "string"))
      problems.push("revoked must be an array of key ids");
    else for (const kid of input.revoked as string[]) revoked.add(kid);
  }

  const delegations: CompiledDelegation[] = [];
  if (input.delegations !== undefined && !Array.isArray(input.delegations))
    problems.push("delegations must be an array");
  for (const [index, raw] of (Array.isArray(input.delegations) ? input.delegations : []).entries()) {
    const path = `delegations[${index}]`;
    if (!isRecord(raw)) {
      problems.push(`${path} must be an object`);
      continue;
    }
    for (const member of Object.keys(raw))
      if (!DELEGATION_MEMBERS.has(member)) problems.push(`${path}.${member} is not a known member`);
    const ids = Array.isArray(raw.ids) ? raw.ids : [];
    if (ids.length === 0) problems.push(`${path}.ids must be a non-empty array of id patterns`);
    for (const pattern of ids)
      if (typeof pattern !== "string" || !ID_PATTERN.test(pattern))
        problems.push(
          `${path}.ids: ${JSON.stringify(pattern)} is not an id pattern (\`security/*\`, \`security/auditor\`, \`*\`)`,
        );
    const keyIds = Array.isArray(raw.keys) ? raw.keys : [];
    if (keyIds.length === 0) problems.push(`${path}.keys must be a non-empty array of key ids`);
    for (const kid of keyIds)
      if (typeof kid !== "string" || !keys.has(kid))
        problems.push(`${path}.keys: ${JSON.stringify(kid)} is not a kid of keys`);
    const threshold = raw.threshold ?? 1;
    const distinct = new Set(keyIds);
    if (!isPositiveInteger(threshold)) problems.push(`${path}.threshold must be an integer ≥ 1`);
    else if (threshold > distinct.size)
      problems.push(`${path}.threshold ${threshold} exceeds its ${distinct.size} distinct keys`);
    delegations.push({ patterns: ids as string[], keyIds: distinct as Set<string>, threshold: threshold as number });
  }

  const defaultThreshold = input.defaultThreshold ?? 1;
  if (!isPositiveInteger(defaultThreshold)) problems.push("defaultThreshold must be an integer ≥ 1");
  const overridable = compileOverridable(input.overridable, problems);
  if (problems.length > 0) {
    throw new NextGenError("NG_ERR_TRUST_POLICY_INVALID", `${origin} is invalid:\n- ${problems.join("\n- ")}`);
  }
  const compiledKeys = new Map(
    [...keys].map(([kid, key]) => [kid, revoked.has(kid) ? { ...key, revoked: true } : key]),
  );
  return {
    requireSignatures: input.requireSignatures !== false,
    algorithms,
    keys: compiledKeys,
    delegations,
    defaultThreshold: defaultThreshold as number,
    overridable,
    document: input as unknown as TrustPolicyDocument,
  };
}

function compileOverridable(raw: unknown, problems: string[]): readonly string[] {
  if (raw === undefined) return DEFAULT_OVERRIDABLE;
  if (!Array.isArray(raw)) {
    problems.push('overridable must be an array of field paths (such as "config.temperature")');
    return DEFAULT_OVERRIDABLE;
  }
  raw.forEach((path, index) => {
    if (typeof path !== "string" || !OVERRIDABLE_PATH.test(path))
      problems.push(
        `overridable[${index}] ${JSON.stringify(path)} is not a field path (dotted names such as "config.temperature")`,
      );
  });
  return Object.freeze([...new Set(raw.filter((path): path is string => typeof path === "string"))]);
}

/** @internal Whether `id` matches a delegation pattern (exact, `prefix/*` or `*`). */
export function matchesIdPattern(pattern: string, id: string): boolean {
  if (pattern === "*") return true;
  if (pattern.endsWith("/*")) return id.startsWith(pattern.slice(0, -1));
  return pattern === id;
}
