import { parseStrictJson } from "../template/strict-json.js";
import type { TemplateSignature } from "../template/types.js";
import { type CompiledDelegation, type CompiledTrustPolicy, matchesIdPattern } from "./compile-trust-policy.js";
import { fromBase64url, TEMPLATE_JWS_TYPE } from "./jws-envelope.js";
import { isSignatureAlgorithm } from "./key-compatibility.js";
import type { SignatureEntryFailure, SignatureFailureReason } from "./signature-error.js";
import type { SignatureAlgorithm } from "./signer.js";
import { verifyJwsSignature } from "./verify-jws-signature.js";

/** @internal The outcome of checking every entry of `signatures[]`. */
export interface SignatureEvaluation {
  /** Distinct key ids whose signatures are valid and eligible. */
  readonly counted: string[];
  /** The entries that counted, as `protected.signature` (the verdict memo's key). */
  readonly countedEntries: string[];
  /** Entries that did not count, and why. */
  readonly failures: SignatureEntryFailure[];
  /** Signatures needed. */
  readonly threshold: number;
  /** The delegation that applied, if any. */
  readonly delegation: CompiledDelegation | undefined;
  /** Until when the counted signatures stay valid (earliest `exp` / key `notAfter`), ms. */
  readonly validUntilMs: number;
  /** How many signature verifications ran (for tests and the bench). */
  readonly cryptoOperations: number;
}

/** Longest protected header and signature accepted, in base64url characters (as the template schema bounds them). */
export const MAX_PROTECTED_CHARS = 4096;
export const MAX_SIGNATURE_CHARS = 4096;
/** Most entries in `signatures[]` (the template schema's `maxItems`). */
export const MAX_SIGNATURE_ENTRIES = 32;

const HEADER_MEMBERS = new Set(["alg", "kid", "typ", "iat", "exp"]);

/**
 * @internal What a protected header must look like: its `typ`, whether `iat` is required,
 * and members accepted (and ignored) besides `alg kid typ iat exp`.
 */
export interface JwsProfile {
  readonly type: string;
  readonly requireIssuedAt: boolean;
  readonly extraMembers: readonly string[];
}

/** @internal Template signatures: `typ: nextgen-template+jws`, `iat` required, nothing else. */
export const TEMPLATE_JWS_PROFILE: JwsProfile = { type: TEMPLATE_JWS_TYPE, requireIssuedAt: true, extraMembers: [] };
const decoder = new TextDecoder("utf-8", { fatal: true });

interface ParsedHeader {
  alg: string;
  kid: string;
  iat: number | undefined;
  exp: number | undefined;
}

type HeaderResult = { header: ParsedHeader } | { reason: SignatureFailureReason; keyId?: string };

function parseHeader(entry: unknown, policy: CompiledTrustPolicy, profile: JwsProfile): HeaderResult {
  if (typeof entry !== "object" || entry === null) return { reason: "malformed" };
  const { protected: encoded, signature } = entry as Partial<TemplateSignature>;
  if (
    typeof encoded !== "string" ||
    typeof signature !== "string" ||
    encoded.length > MAX_PROTECTED_CHARS ||
    signature.length > MAX_SIGNATURE_CHARS ||
    Object.keys(entry).length !== 2 ||
    fromBase64url(signature) === undefined
  )
    return { reason: "malformed" };
  const bytes = fromBase64url(encoded);
  let header: Record<string, unknown>;
  try {
    // Strict: a duplicate member (`"alg":"HS256","alg":"EdDSA"`) could be read one way here
    // and another way by a different JWS library; refuse it instead of picking one.
    header = parseStrictJson(decoder.decode(bytes), { maxDepth: 4 }) as Record<string, unknown>;
  } catch {
    return { reason: "malformed" };
  }
  if (typeof header !== "object" || header === null || Array.isArray(header)) return { reason: "malformed" };
  const keyId = typeof header.kid === "string" ? header.kid : undefined;
  const withKey = keyId === undefined ? {} : { keyId };
  // The algorithm is judged before anything else: `none`, HMAC and unlisted algorithms never reach a key.
  if (!isSignatureAlgorithm(header.alg) || !policy.algorithms.has(header.alg))
    return { reason: "algorithm-not-allowed", ...withKey };
  const unknownMember = Object.keys(header).some(
    (member) => !HEADER_MEMBERS.has(member) && !profile.extraMembers.includes(member),
  );
  const validTime = (value: unknown): boolean => Number.isSafeInteger(value) && (value as number) >= 0;
  if (
    unknownMember ||
    keyId === undefined ||
    keyId.length === 0 ||
    header.typ !== profile.type ||
    (header.iat === undefined ? profile.requireIssuedAt : !validTime(header.iat))
  ) {
    return { reason: "malformed", ...withKey };
  }
  if (header.exp !== undefined && !validTime(header.exp)) return { reason: "malformed", keyId };
  return {
    header: {
      alg: header.alg,
      kid: keyId,
      iat: header.iat as number | undefined,
      exp: header.exp as number | undefined,
    },
  };
}

/** @internal Whether a signature entry is well-formed (shape, base64url, strict header), without any key. */
export function isWellFormedEntry(entry: unknown, policy: CompiledTrustPolicy): boolean {
  const parsed = parseHeader(entry, policy, TEMPLATE_JWS_PROFILE);
  return "header" in parsed || parsed.reason !== "malformed";
}

/** @internal The memo scope of the delegation deciding `templateId` (its index, or `default`). */
export function delegationScope(policy: CompiledTrustPolicy, templateId: string): string {
  const delegation = delegationFor(policy, templateId);
  return delegation === undefined ? "default" : String(policy.delegations.indexOf(delegation));
}

/** @internal The delegation deciding `templateId`, if any (the first that matches). */
export function delegationFor(policy: CompiledTrustPolicy, templateId: string): CompiledDelegation | undefined {
  return policy.delegations.find((delegation) =>
    delegation.patterns.some((pattern) => matchesIdPattern(pattern, templateId)),
  );
}

/**
 * @internal Checks each signature entry against the policy at `nowMs`. Cheap checks
 * (algorithm, key, delegation, window, expiry) run before any cryptography; a key that
 * already counted is not verified again (and does not count twice). `governingId` picks
 * the delegation (the template's own id, or the leaf of an `extends` chain). `profile`
 * says what a protected header must look like (templates: {@link TEMPLATE_JWS_PROFILE}).
 */
export async function evaluateSignatures(
  policy: CompiledTrustPolicy,
  governingId: string,
  entries: readonly unknown[],
  encodedPayload: string,
  nowMs: number,
  profile: JwsProfile = TEMPLATE_JWS_PROFILE,
): Promise<SignatureEvaluation> {
  const delegation = delegationFor(policy, governingId);
  const counted = new Set<string>();
  const countedEntries: string[] = [];
  const failures: SignatureEntryFailure[] = [];
  let validUntilMs = Number.POSITIVE_INFINITY;
  let cryptoOperations = 0;
  for (const [index, entry] of entries.entries()) {
    const parsed = parseHeader(entry, policy, profile);
    if ("reason" in parsed) {
      failures.push({ index, reason: parsed.reason, ...(parsed.keyId === undefined ? {} : { keyId: parsed.keyId }) });
      continue;
    }
    const { header } = parsed;
    const fail = (reason: SignatureFailureReason): void => void failures.push({ index, keyId: header.kid, reason });
    if (counted.has(header.kid)) continue;
    const key = policy.keys.get(header.kid);
    if (key === undefined) {
      fail("unknown-key");
      continue;
    }
    if (key.revoked) {
      fail("revoked-key");
      continue;
    }
    if (!key.algorithms.includes(header.alg as SignatureAlgorithm)) {
      fail("algorithm-not-allowed");
      continue;
    }
    if (delegation !== undefined && !delegation.keyIds.has(header.kid)) {
      fail("not-delegated");
      continue;
    }
    const outside = (ms: number): boolean =>
      (key.notBeforeMs !== undefined && ms < key.notBeforeMs) || (key.notAfterMs !== undefined && ms > key.notAfterMs);
    if (outside(nowMs) || (header.iat !== undefined && outside(header.iat * 1000))) {
      fail("key-out-of-window");
      continue;
    }
    if (header.exp !== undefined && header.exp * 1000 <= nowMs) {
      fail("expired");
      continue;
    }
    cryptoOperations++;
    const { protected: encodedProtected, signature } = entry as TemplateSignature;
    // parseHeader checked the signature is base64url.
    const signatureBytes = fromBase64url(signature)!;
    if (
      !verifyJwsSignature(
        header.alg as SignatureAlgorithm,
        key.keyObject,
        encodedProtected,
        encodedPayload,
        signatureBytes,
      )
    ) {
      fail("bad-signature");
      continue;
    }
    counted.add(header.kid);
    countedEntries.push(`${(entry as TemplateSignature).protected}.${(entry as TemplateSignature).signature}`);
    validUntilMs = Math.min(
      validUntilMs,
      header.exp === undefined ? Number.POSITIVE_INFINITY : header.exp * 1000,
      key.notAfterMs ?? Number.POSITIVE_INFINITY,
    );
  }
  return {
    counted: [...counted],
    countedEntries,
    failures,
    threshold: delegation?.threshold ?? policy.defaultThreshold,
    delegation,
    validUntilMs,
    cryptoOperations,
  };
}
