import { OptionsError } from "../errors/options-error.js";
import type { AgentTemplate, TemplateSignature } from "../template/types.js";
import {
  base64url,
  encodeProtectedHeader,
  fromBase64url,
  signingInput,
  TEMPLATE_JWS_TYPE,
  type TemplateSignatureHeader,
} from "./jws-envelope.js";
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
   * Current time in milliseconds since the epoch, for `iat`.
   * @default Date.now
   */
  clock?: () => number;
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
  const nowSeconds = Math.floor((options.clock ?? Date.now)() / 1000);
  let exp: number | undefined;
  if (options.expiresAt !== undefined) {
    if (!(options.expiresAt instanceof Date)) throw new OptionsError("options.expiresAt", "must be a Date");
    exp = Math.floor(options.expiresAt.getTime() / 1000);
    if (!Number.isFinite(exp) || exp <= nowSeconds) {
      throw new OptionsError("options.expiresAt", "must be a valid date in the future");
    }
  }
  const encodedPayload = base64url(canonicalTemplateBytes(template));
  const produced = new Map<string, TemplateSignature>();
  for (const signer of list) {
    const header: TemplateSignatureHeader = {
      alg: signer.algorithm,
      kid: signer.keyId,
      typ: TEMPLATE_JWS_TYPE,
      iat: nowSeconds,
    };
    if (exp !== undefined) header.exp = exp;
    const encodedProtected = encodeProtectedHeader(header);
    const signature = await signer.sign(signingInput(encodedProtected, encodedPayload), { signal: options.signal });
    produced.set(signer.keyId, { protected: encodedProtected, signature: base64url(signature) });
  }
  const kept = (template.signatures ?? []).filter((entry) => {
    const kid = keyIdOf(entry);
    return kid === undefined || !produced.has(kid);
  });
  return { ...template, signatures: [...kept, ...produced.values()] };
}
