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
  /**
   * The id of the leaf whose `extends` chain this template belongs to. The template must
   * then also satisfy the delegation (keys and threshold) that governs that id, or it is
   * refused with reason `chain-not-delegated` (`NG_ERR_SIGNATURE_CHAIN_NOT_DELEGATED`).
   * The factory passes it for every parent it loads.
   */
  governingId?: string;
}

/** The trust component of `factory.health()`. */
export interface TrustHealth {
  /** Always `trust`. */
  name: "trust";
  /** `unhealthy` when the state store cannot be written or no key is valid; `degraded` when a key expires soon. */
  status: "healthy" | "degraded" | "unhealthy";
  /** Why, when not healthy. */
  reason?: string;
  /** Key count, earliest key expiry (ISO 8601), whether signatures are required. */
  detail?: Record<string, unknown>;
}

/**
 * What the factory (and the tiered cache) call before a template is trusted. A trust
 * policy from `loadTrustPolicy` / `trustPolicy` is one. Resolves when the template may
 * be used; rejects with `NG_ERR_SIGNATURE_*` otherwise.
 */
export interface TemplateVerifier {
  /** Verifies `template`'s signatures (and rollback state) against the policy. */
  verify(template: AgentTemplate, options?: VerifyOptions): Promise<VerifiedTemplate>;
  /**
   * Fields a create-time override may change (dotted paths). The factory refuses any
   * other override with `NG_ERR_TRUST_OVERRIDE_REFUSED`.
   * @default ["config.temperature", "config.maxTokens", "config.timeoutMs"]
   */
  readonly overridable?: readonly string[];
  /** The verifier's component of `factory.health()` (state store writable, key expiry). */
  health?(options?: { signal?: AbortSignal }): Promise<TrustHealth>;
}
