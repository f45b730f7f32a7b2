// Pool-side task module of bulk template verification (`factory.prewarm(ids, { pool: true })`),
// loaded by file URL inside each worker through the agent pool's dispatch. It runs the very
// parser and `TrustPolicy.verify` the main thread runs, against the policy *document* only:
// no state store crosses (rollback marks are checked and written on the main thread), so
// the worker's policy gets a store that remembers nothing.
import { NextGenError } from "../errors/next-gen-error.js";
import { parseTemplate } from "../template/parse-template.js";
import type { AgentTemplate, TemplateDigest } from "../template/types.js";
import { SignatureError } from "../trust/signature-error.js";
import type { StateStore } from "../trust/state-store.js";
import { trustPolicy } from "../trust/trust-policy.js";
import type { TrustPolicyDocument } from "../trust/trust-policy-document.js";
import { memoValidUntil } from "../trust/worker-verdict.js";

/** One batch of templates to parse and verify. @internal */
export interface VerifyTemplatesBatch {
  /** The policy's document (keys, algorithms, thresholds, windows): never a state store. */
  document: TrustPolicyDocument;
  /** The main thread's clock at send time (key windows, `exp`), ms since the epoch. */
  nowMs: number;
  /** Raw source bytes, with where they came from (for parse errors). */
  items: { bytes: Uint8Array; location: string }[];
}

/** The worker's answer for one template. @internal */
export type VerifyTemplatesResult =
  | { ok: true; template: AgentTemplate; digest: TemplateDigest; keyIds: string[]; validUntilMs: number }
  | { ok: false; code: string; reason?: string; message: string };

const forgetful: StateStore = { get: async () => undefined, set: async () => {} };

/** Parses and verifies each item of `batch` with the shared trust code. */
export default async function verifyTemplates(batch: VerifyTemplatesBatch): Promise<VerifyTemplatesResult[]> {
  const policy = trustPolicy(batch.document, { stateStore: forgetful, clock: { now: () => batch.nowMs } });
  const results: VerifyTemplatesResult[] = [];
  for (const item of batch.items) {
    try {
      const template = parseTemplate(item.bytes, { location: item.location });
      const { digest, keyIds } = await policy.verify(template);
      const validUntilMs = memoValidUntil(policy, template) ?? batch.nowMs;
      results.push({ ok: true, template, digest, keyIds, validUntilMs });
    } catch (error) {
      results.push({
        ok: false,
        code: NextGenError.is(error) ? error.code : "UNKNOWN",
        ...(error instanceof SignatureError ? { reason: error.reason } : {}),
        message: error instanceof Error ? error.message : String(error),
      });
    }
  }
  return results;
}
