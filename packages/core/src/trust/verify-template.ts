import type { AgentTemplate } from "../template/types.js";
import { memoryStateStore } from "./memory-state-store.js";
import type { VerifiedTemplate } from "./template-verifier.js";
import { TrustPolicy, type TrustPolicyOptions, trustPolicy } from "./trust-policy.js";
import type { TrustPolicyDocument } from "./trust-policy-document.js";

/** Options of {@link verifyTemplate}. */
export interface VerifyTemplateOptions extends Pick<TrustPolicyOptions, "stateStore" | "clock"> {
  /** Aborts a slow verification. */
  signal?: AbortSignal;
}

/**
 * Verifies one template against a policy (a `TrustPolicy` or a `trust.json` document).
 * Resolves with the digest and the key ids that counted; rejects with a
 * `SignatureError` whose `reason` says why. To verify many templates, build the policy
 * once and call `policy.verify`, which memoizes verdicts per digest.
 *
 * @example
 * ```ts
 * const { digest, keyIds } = await verifyTemplate(template, await loadTrustPolicy("trust.json"));
 * ```
 */
export function verifyTemplate(
  template: AgentTemplate,
  policy: TrustPolicy | TrustPolicyDocument,
  options: VerifyTemplateOptions = {},
): Promise<VerifiedTemplate> {
  const { signal, ...overrides } = options;
  const defined = Object.fromEntries(
    Object.entries(overrides).filter(([, value]) => value !== undefined),
  ) as TrustPolicyOptions;
  const verifier =
    policy instanceof TrustPolicy
      ? Object.keys(defined).length === 0
        ? policy
        : policy.withOptions(defined)
      : // A one-shot check of a document: a fresh in-memory state unless one is given (no warning).
        trustPolicy(policy, { stateStore: memoryStateStore(), ...defined });
  return verifier.verify(template, signal === undefined ? {} : { signal });
}
