import type { AgentTemplate, TemplateDigest } from "../template/types.js";

/** What a successful verification established. */
export interface VerifiedTemplate {
  /** Digest of the template's canonical bytes. */
  digest: TemplateDigest;
  /** Key ids whose signatures counted toward the threshold (empty when signatures are not required). */
  keyIds: string[];
  /** Whether the verdict came from the memo (no cryptography ran). */
  memoized: boolean;
  /**
   * Until when the verdict holds, in milliseconds since the epoch: the earliest `exp` of
   * the counted signatures and `notAfter` of their keys. Caches re-verify after it.
   * Absent: no bound (signatures that never expire, or signatures not required).
   */
  validUntilMs?: number;
}

/** Options of `TemplateVerifier.verify`. */
export interface VerifyOptions {
  /** Aborts a slow verification (a remote key source, a slow state store). */
  signal?: AbortSignal;
}

/**
 * What the factory (and the tiered cache) call before a template is trusted. A trust
 * policy from `loadTrustPolicy` / `trustPolicy` is one. Resolves when the template may
 * be used; rejects with `NG_ERR_SIGNATURE_*` otherwise.
 */
export interface TemplateVerifier {
  /** Verifies `template`'s signatures (and rollback state) against the policy. */
  verify(template: AgentTemplate, options?: VerifyOptions): Promise<VerifiedTemplate>;
}
