import type { Clock } from "../clock/clock.js";
import type { AgentTemplate, TemplateSignature } from "../template/types.js";
import { signDetachedPayload } from "./detached-signatures.js";
import { fromBase64url, TEMPLATE_JWS_TYPE } from "./jws-envelope.js";
import type { Signer } from "./signer.js";
import { canonicalTemplateBytes } from "./template-bytes.js";

/** Options of {@link signTemplate}. */
export interface SignTemplateOptions {
  /**
   * When the signatures stop being valid (`exp`).
   * @default undefined (no `exp`: the signatures do not expire; revoke or retire the key instead)
   */
  expiresAt?: Date;
  /**
   * The wall clock (milliseconds since the Unix epoch) read once for `iat` and to check
   * that `expiresAt` lies in the future. A value that is not a `Clock` throws
   * `NG_ERR_OPTIONS_INVALID` naming `options.clock`.
   * @default wallClock
   */
  clock?: Clock;
  /** Aborts slow signers. */
  signal?: AbortSignal;
}

function keyIdOf(entry: TemplateSignature): string | undefined {
  const decoded = fromBase64url(entry.protected);
  if (decoded === undefined) return undefined;
  try {
    const header = JSON.parse(new TextDecoder().decode(decoded)) as { kid?: unknown };
    return typeof header.kid === "string" ? header.kid : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Signs `template`'s canonical bytes with each signer and returns a copy whose
 * `signatures[]` holds one entry per key id: an existing entry for the same `kid` is
 * replaced, entries of other keys are kept (so several parties can co-sign). The input
 * is not modified. A kept entry still covers the bytes its key signed: if the content
 * changed since, it no longer counts, and verification reports it as `bad-signature`
 * until that key signs again.
 *
 * @example
 * ```ts
 * const signer = localKeySigner({ key: privatePem, keyId: "release-2026" });
 * const signed = await signTemplate(template, signer, { expiresAt: new Date("2027-01-01") });
 * await writeFile("security/auditor.json", JSON.stringify(signed, null, 2));
 * ```
 */
export async function signTemplate(
  template: AgentTemplate,
  signers: Signer | readonly Signer[],
  options: SignTemplateOptions = {},
): Promise<AgentTemplate> {
  const entries = await signDetachedPayload(canonicalTemplateBytes(template), signers, {
    type: TEMPLATE_JWS_TYPE,
    expiresAt: options.expiresAt,
    clock: options.clock,
    signal: options.signal,
  });
  const produced = new Map<string, TemplateSignature>();
  for (const entry of entries) produced.set(keyIdOf(entry) as string, entry);
  const kept = (template.signatures ?? []).filter((entry) => {
    const kid = keyIdOf(entry);
    return kid === undefined || !produced.has(kid);
  });
  return { ...template, signatures: [...kept, ...produced.values()] };
}
