import {
  type Clock,
  canonicalize,
  NextGenError,
  type Signer,
  type SignOptions,
  type TrustPolicy,
  type TrustPolicyDocument,
} from "@nextgen/core";
import { signDetachedPayload, verifyDetachedPayload } from "@nextgen/core/internal";
import type { AgentCardJson, AgentCardSignatureJson } from "./agent-card-types.js";
import type { A2aErrorCode } from "./errors/a2a-error-codes.js";

/** The protected header `typ` of A2A card signatures (the A2A specification's example). */
export const AGENT_CARD_JWS_TYPE: "JOSE" = "JOSE";

/** Largest card (its canonical form) signed or verified: cards come from other parties. */
export const MAX_AGENT_CARD_BYTES: number = 256 * 1024;

/** Most `signatures` entries judged on one card; each one may cost a signature check. */
export const MAX_AGENT_CARD_SIGNATURES: number = 32;

/** Options of {@link signAgentCard}. */
export interface SignAgentCardOptions extends SignOptions {
  /** When the signatures stop being valid (`exp`). @default undefined (no `exp`) */
  expiresAt?: Date;
  /**
   * The wall clock (milliseconds since the Unix epoch) read for `iat`. A value that is not a
   * `Clock` rejects with `NG_ERR_OPTIONS_INVALID` naming `options.clock`.
   * @default wallClock
   */
  clock?: Clock;
}

/** Options of {@link verifyAgentCard}. */
export interface VerifyAgentCardOptions {
  /**
   * The id that picks the trust policy's delegation, e.g. the template id the card was
   * built from (`security/auditor`). @default undefined (`defaultThreshold` from any key)
   */
  subject?: string;
  /**
   * The wall clock (milliseconds since the Unix epoch) that key windows and `exp` are
   * compared against. A value that is not a `Clock` rejects with `NG_ERR_OPTIONS_INVALID`
   * naming `options.clock`.
   * @default wallClock
   */
  clock?: Clock;
  /** Aborts a slow verification. */
  signal?: AbortSignal;
}

function isEmpty(value: unknown): boolean {
  if (value === null || value === undefined || value === "") return true;
  if (Array.isArray(value)) return value.length === 0;
  return typeof value === "object" && Object.keys(value as object).length === 0;
}

/** Drops `null`, `""`, `[]` and `{}` members, depth first (A2A's default-value omission). */
function withoutEmpty(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutEmpty).filter((item) => !isEmpty(item));
  if (typeof value !== "object" || value === null) return value;
  const kept: Record<string, unknown> = {};
  for (const [key, member] of Object.entries(value)) {
    const cleaned = withoutEmpty(member);
    if (!isEmpty(cleaned)) kept[key] = cleaned;
  }
  return kept;
}

/**
 * The bytes an A2A card signature covers: the RFC 8785 form (core's `canonicalize`) of
 * the card without `signatures`, with empty members (`null`, `""`, `[]`, `{}`) omitted as
 * A2A v1.0 omits default values before canonicalising (§8.4.1).
 *
 * @throws {NextGenError} `NG_ERR_A2A_CARD_INVALID` for a card that is not a JSON object,
 *   has no JSON form, or whose canonical form exceeds {@link MAX_AGENT_CARD_BYTES}.
 * @example
 * ```ts
 * const payload = agentCardSigningBytes(card); // Uint8Array
 * ```
 */
export function agentCardSigningBytes(card: AgentCardJson): Uint8Array {
  if (typeof card !== "object" || card === null || Array.isArray(card))
    throw new NextGenError<A2aErrorCode>("NG_ERR_A2A_CARD_INVALID", "an agent card must be a JSON object");
  const { signatures: _signatures, ...unsigned } = card;
  let bytes: Uint8Array;
  try {
    bytes = canonicalize(withoutEmpty(unsigned));
  } catch (error) {
    throw new NextGenError<A2aErrorCode>("NG_ERR_A2A_CARD_INVALID", "the agent card has no JSON (RFC 8785) form", {
      cause: error,
    });
  }
  if (bytes.byteLength > MAX_AGENT_CARD_BYTES)
    throw new NextGenError<A2aErrorCode>(
      "NG_ERR_A2A_CARD_INVALID",
      `the agent card is ${bytes.byteLength} bytes, more than ${MAX_AGENT_CARD_BYTES}`,
    );
  return bytes;
}

function keyIdOf(entry: AgentCardSignatureJson): string | undefined {
  try {
    const header = JSON.parse(Buffer.from(entry.protected, "base64url").toString("utf8")) as { kid?: unknown };
    return typeof header.kid === "string" ? header.kid : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Signs an A2A agent card as the A2A specification defines: one detached JWS per signer
 * (protected header `alg`, `kid`, `typ: "JOSE"`, `iat`) over {@link agentCardSigningBytes},
 * with core's signers (`localKeySigner`, `commandSigner`, a KMS). Returns a copy whose
 * `signatures` keeps other keys' entries and replaces an entry of the same `kid`.
 *
 * @example
 * ```ts
 * const signed = await signAgentCard(card, localKeySigner({ key: privatePem, keyId: "cards-2026" }));
 * ```
 */
export async function signAgentCard(
  card: AgentCardJson,
  signers: Signer | readonly Signer[],
  options: SignAgentCardOptions = {},
): Promise<AgentCardJson> {
  const produced = await signDetachedPayload(agentCardSigningBytes(card), signers, {
    type: AGENT_CARD_JWS_TYPE,
    expiresAt: options.expiresAt,
    clock: options.clock,
    signal: options.signal,
  });
  const newKeys = new Set(produced.map((entry) => keyIdOf(entry)));
  const kept = (Array.isArray(card.signatures) ? card.signatures : []).filter((entry) => {
    const kid = keyIdOf(entry);
    return kid === undefined || !newKeys.has(kid);
  });
  return { ...card, signatures: [...kept, ...produced] };
}

/**
 * Verifies an A2A agent card's signatures against a trust policy (a `TrustPolicy` or a
 * `trust.json` document) with core's verification: keys come only from the policy (a
 * `jku` in a header is ignored, never fetched), the unprotected `header` is ignored, and
 * algorithm allowlist, revocation, key windows, `exp`, delegations (by `subject`) and
 * thresholds apply as for templates. A header without `iat` is accepted (other SDKs
 * omit it). Resolves with the key ids that counted; rejects with a `SignatureError`
 * (`NG_ERR_SIGNATURE_*`) or `NG_ERR_A2A_CARD_INVALID`.
 *
 * @example
 * ```ts
 * const { keyIds } = await verifyAgentCard(card, await loadTrustPolicy("trust.json"));
 * ```
 */
export function verifyAgentCard(
  card: AgentCardJson,
  trust: TrustPolicy | TrustPolicyDocument,
  options: VerifyAgentCardOptions = {},
): Promise<{ keyIds: string[] }> {
  let payload: Uint8Array;
  try {
    payload = agentCardSigningBytes(card);
  } catch (error) {
    return Promise.reject(error);
  }
  if (Array.isArray(card.signatures) && card.signatures.length > MAX_AGENT_CARD_SIGNATURES)
    return Promise.reject(
      new NextGenError<A2aErrorCode>(
        "NG_ERR_A2A_CARD_INVALID",
        `the agent card has ${card.signatures.length} signatures, more than ${MAX_AGENT_CARD_SIGNATURES}`,
      ),
    );
  const entries: unknown[] = Array.isArray(card.signatures)
    ? card.signatures.map((entry: unknown) =>
        typeof entry === "object" && entry !== null
          ? {
              protected: (entry as AgentCardSignatureJson).protected,
              signature: (entry as AgentCardSignatureJson).signature,
            }
          : entry,
      )
    : [];
  return verifyDetachedPayload(payload, entries, trust, {
    type: AGENT_CARD_JWS_TYPE,
    requireIssuedAt: false,
    extraHeaderMembers: ["jku"],
    subject: options.subject,
    clock: options.clock,
    signal: options.signal,
  });
}
