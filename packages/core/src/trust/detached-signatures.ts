import { type Clock, wallClock } from "../clock/clock.js";
import { resolveClock } from "../clock/resolve-clock.js";
import { OptionsError } from "../errors/options-error.js";
import type { TemplateSignature } from "../template/types.js";
import { type CompiledTrustPolicy, compileTrustPolicy } from "./compile-trust-policy.js";
import { evaluateSignatures } from "./evaluate-signatures.js";
import { base64url, encodeProtectedHeader, signingInput } from "./jws-envelope.js";
import { SignatureError } from "./signature-error.js";
import type { Signer } from "./signer.js";
import { TrustPolicy } from "./trust-policy.js";
import type { TrustPolicyDocument } from "./trust-policy-document.js";

/** Options of {@link signDetachedPayload}. */
export interface SignDetachedOptions {
  /** The protected header's `typ` (templates use `nextgen-template+jws`; A2A cards `JOSE`). */
  type: string;
  /**
   * When the signatures stop being valid (`exp`).
   * @default undefined (no `exp`)
   */
  expiresAt?: Date | undefined;
  /**
   * The wall clock (milliseconds since the Unix epoch) read once for `iat` and to check
   * that `expiresAt` lies in the future. A value that is not a `Clock` throws
   * `NG_ERR_OPTIONS_INVALID` naming `options.clock`.
   * @default wallClock
   */
  clock?: Clock | undefined;
  /** Aborts slow signers. */
  signal?: AbortSignal | undefined;
}

/** Options of {@link verifyDetachedPayload}. */
export interface VerifyDetachedOptions {
  /** The protected header's required `typ`; any other is `malformed`. */
  type: string;
  /**
   * Whether a header without `iat` is `malformed` (A2A cards signed elsewhere often carry none).
   * @default true
   */
  requireIssuedAt?: boolean | undefined;
  /**
   * Protected header members accepted (and ignored) besides `alg kid typ iat exp`; any other
   * member is `malformed`. Keys always come from the trust policy, never from a header (`jku`).
   * @default []
   */
  extraHeaderMembers?: readonly string[] | undefined;
  /**
   * The id that picks the trust policy's delegation (a template id such as `security/auditor`).
   * @default undefined (no delegation applies: `defaultThreshold` signatures from any trusted key)
   */
  subject?: string | undefined;
  /**
   * The wall clock (milliseconds since the Unix epoch) that key windows and `exp` are
   * compared against. A value that is not a `Clock` throws `NG_ERR_OPTIONS_INVALID`
   * naming `options.clock`.
   * @default wallClock
   */
  clock?: Clock | undefined;
  /** Aborts a slow verification. */
  signal?: AbortSignal | undefined;
}

/**
 * Signs `payload` (bytes the caller canonicalised, such as an A2A agent card's RFC 8785
 * form) with each signer: one detached JWS entry `{ protected, signature }` per signer,
 * in the same format, header and algorithms as template signatures but with the given
 * `typ`. `signTemplate` is this over a template's canonical bytes.
 *
 * @example
 * ```ts
 * const entries = await signDetachedPayload(canonicalize(card), localKeySigner({ key, keyId: "cards-2026" }), { type: "JOSE" });
 * ```
 */
export async function signDetachedPayload(
  payload: Uint8Array,
  signers: Signer | readonly Signer[],
  options: SignDetachedOptions,
): Promise<TemplateSignature[]> {
  const list: readonly Signer[] = Array.isArray(signers) ? signers : [signers as Signer];
  if (list.length === 0) throw new OptionsError("signers", "must name at least one signer");
  list.forEach((signer, index) => {
    if (typeof signer !== "object" || signer === null || typeof signer.sign !== "function") {
      throw new OptionsError(
        Array.isArray(signers) ? `signers[${index}]` : "signers",
        "must be a Signer ({ keyId, algorithm, sign }), e.g. from localKeySigner or commandSigner",
      );
    }
  });
  if (typeof options.type !== "string" || options.type.length === 0)
    throw new OptionsError("options.type", "must be a non-empty string");
  const nowSeconds = Math.floor(resolveClock(options.clock, "options.clock", wallClock).now() / 1000);
  let exp: number | undefined;
  if (options.expiresAt !== undefined) {
    if (!(options.expiresAt instanceof Date)) throw new OptionsError("options.expiresAt", "must be a Date");
    exp = Math.floor(options.expiresAt.getTime() / 1000);
    if (!Number.isFinite(exp) || exp <= nowSeconds) {
      throw new OptionsError("options.expiresAt", "must be a valid date in the future");
    }
  }
  const encodedPayload = base64url(payload);
  const entries: TemplateSignature[] = [];
  for (const signer of list) {
    const header = { alg: signer.algorithm, kid: signer.keyId, typ: options.type, iat: nowSeconds };
    const encodedProtected = encodeProtectedHeader(exp === undefined ? header : { ...header, exp });
    const signature = await signer.sign(signingInput(encodedProtected, encodedPayload), { signal: options.signal });
    entries.push({ protected: encodedProtected, signature: base64url(signature) });
  }
  return entries;
}

const compiledByDocument = new WeakMap<TrustPolicyDocument, CompiledTrustPolicy>();

function compiledOf(trust: TrustPolicy | TrustPolicyDocument): CompiledTrustPolicy {
  const document = trust instanceof TrustPolicy ? trust.document : trust;
  let compiled = compiledByDocument.get(document);
  if (compiled === undefined) {
    compiled = compileTrustPolicy(document);
    if (typeof document === "object" && document !== null) compiledByDocument.set(document, compiled);
  }
  return compiled;
}

/**
 * Verifies detached JWS entries over `payload` with the same rules as template
 * verification (algorithm allowlist, known and unrevoked keys, key windows, `exp`,
 * delegations by `subject`, threshold), for documents that are not templates (A2A agent
 * cards). There is no rollback check: a payload has no version. Resolves with the key
 * ids that counted; rejects with a `SignatureError`.
 *
 * @example
 * ```ts
 * const { keyIds } = await verifyDetachedPayload(canonicalize(card), card.signatures, trust, { type: "JOSE" });
 * ```
 */
export async function verifyDetachedPayload(
  payload: Uint8Array,
  signatures: readonly unknown[],
  trust: TrustPolicy | TrustPolicyDocument,
  options: VerifyDetachedOptions,
): Promise<{ keyIds: string[] }> {
  options.signal?.throwIfAborted();
  const clock = resolveClock(options.clock, "options.clock", wallClock);
  if (typeof options.type !== "string" || options.type.length === 0)
    throw new OptionsError("options.type", "must be a non-empty string");
  const compiled = compiledOf(trust);
  if (!compiled.requireSignatures) return { keyIds: [] };
  const subject = options.subject ?? "";
  const name = options.subject ?? "payload";
  if (!Array.isArray(signatures) || signatures.length === 0)
    throw new SignatureError("missing", `${name} is not signed`, { entries: [] });
  const evaluation = await evaluateSignatures(compiled, subject, signatures, base64url(payload), clock.now(), {
    type: options.type,
    requireIssuedAt: options.requireIssuedAt ?? true,
    extraMembers: options.extraHeaderMembers ?? [],
  });
  if (evaluation.counted.length >= evaluation.threshold) return { keyIds: evaluation.counted };
  const tally = `${evaluation.counted.length} of ${evaluation.threshold} required signatures valid`;
  const first = evaluation.failures[0];
  const details = evaluation.failures
    .map(
      (failure) =>
        `signatures[${failure.index}]${failure.keyId === undefined ? "" : ` (kid "${failure.keyId}")`}: ${failure.reason}`,
    )
    .join("; ");
  return Promise.reject(
    new SignatureError(first?.reason ?? "threshold-not-met", `${name}: ${tally}${details ? `; ${details}` : ""}`, {
      entries: evaluation.failures,
    }),
  );
}
