// Main-thread admission of a signature verdict computed in a pool worker. Internal: not
// exported from the package. The only way a verdict reaches a policy's memo is
// `admitWorkerVerdict`, and it re-derives everything it can from the template itself.
import type { AgentTemplate, TemplateDigest } from "../template/types.js";
import type { TrustPolicyDocument } from "./trust-policy-document.js";

/** What a worker claims it established for one template. @internal */
export interface WorkerVerdict {
  /** Digest the worker computed over the template's canonical bytes. */
  digest: TemplateDigest;
  /** Key ids whose signatures counted. */
  keyIds: string[];
  /** Until when the verdict holds (earliest key `notAfter` / `exp`), ms since the epoch. */
  validUntilMs: number;
}

/** Access to a policy's memo; registered once by `TrustPolicy`'s static block. @internal */
export interface MemoHooks {
  prime(policy: object, template: AgentTemplate, sentDocument: TrustPolicyDocument, verdict: WorkerVerdict): boolean;
  /** Until when `policy` remembers `template`'s verdict (worker side, after `verify`). */
  validUntil(policy: object, template: AgentTemplate): number | undefined;
}

let hooks: MemoHooks | undefined;

/** Called once, by `trust-policy.ts` when it loads. @internal */
export function registerMemoHooks(registered: MemoHooks): void {
  if (hooks !== undefined) throw new Error("the trust memo hooks are already registered");
  hooks = registered;
}

/** Worker side: how long the verdict `policy.verify(template)` just memoized holds. @internal */
export function memoValidUntil(policy: object, template: AgentTemplate): number | undefined {
  return hooks?.validUntil(policy, template);
}

/**
 * Feeds a worker's "accepted" verdict into `policy`'s verified-digest memo, only if the
 * digest the main thread recomputes over `template` (the object it will use) equals the
 * worker's, `sentDocument` is the very document of `policy` (same object), and every
 * counted key is a non-revoked key of that policy listed in the template's own signatures.
 * Returns whether it was admitted. It never records rollback state: `policy.verify` still
 * runs the high-water-mark check on the main thread. @internal
 */
export function admitWorkerVerdict(
  policy: object,
  template: AgentTemplate,
  sentDocument: TrustPolicyDocument,
  verdict: WorkerVerdict,
): boolean {
  return hooks === undefined ? false : hooks.prime(policy, template, sentDocument, verdict);
}
