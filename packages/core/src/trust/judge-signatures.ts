import type { AgentTemplate, TemplateDigest } from "../template/types.js";
import type { CompiledTrustPolicy } from "./compile-trust-policy.js";
import {
  delegationScope,
  evaluateSignatures,
  isWellFormedEntry,
  MAX_SIGNATURE_ENTRIES,
} from "./evaluate-signatures.js";
import { base64url } from "./jws-envelope.js";
import { refusalFor } from "./refusal.js";
import { SignatureError } from "./signature-error.js";
import { entryText, type VerdictMemo } from "./verdict-memo.js";

/** @internal What one template's signatures are judged on. */
export interface JudgeInput {
  template: AgentTemplate;
  /** The id whose delegation decides: the template's own, or the leaf of its `extends` chain. */
  governingId: string;
  digest: TemplateDigest;
  /** The canonical bytes (the detached payload). */
  bytes: Uint8Array;
  entries: readonly unknown[];
  now: number;
}

/**
 * @internal Judges `signatures[]` under the delegation of `governingId`: a memoized verdict
 * when the memo holds one whose counted signatures the template still carries (and every
 * other entry is well-formed), otherwise a full evaluation, remembered when it passes.
 * Any malformed entry refuses the template, even beside enough valid ones: padding must
 * not be free. Throws a `SignatureError`.
 */
export async function judgeSignatures(
  compiled: CompiledTrustPolicy,
  memo: VerdictMemo,
  input: JudgeInput,
  countCrypto: (operations: number) => void,
): Promise<{ keyIds: readonly string[]; memoized: boolean; validUntilMs: number }> {
  const { template, governingId, digest, entries, now } = input;
  const subject = { templateId: template.id, version: template.version };
  const scope = delegationScope(compiled, governingId);
  if (entries.length > MAX_SIGNATURE_ENTRIES)
    throw new SignatureError(
      "malformed",
      `${template.id}@${template.version} has ${entries.length} signature entries; at most ${MAX_SIGNATURE_ENTRIES} are accepted`,
      subject,
    );
  const remembered = memo.find(scope, digest, entries, now);
  if (remembered !== undefined) {
    refuseMalformed(compiled, template, entries, remembered.signatures);
    return { keyIds: remembered.keyIds, memoized: true, validUntilMs: remembered.validUntilMs };
  }
  if (entries.length === 0)
    throw new SignatureError(
      "missing",
      `${template.id}@${template.version} is not signed; sign it with a key the trust policy lists (nextgen sign <file> --key <pem> --kid <kid>)`,
      subject,
    );
  const evaluation = await evaluateSignatures(compiled, governingId, entries, base64url(input.bytes), now);
  countCrypto(evaluation.cryptoOperations);
  const malformed = evaluation.failures.filter((failure) => failure.reason === "malformed");
  if (malformed.length > 0) throw refusalFor(template, { ...evaluation, failures: malformed });
  if (evaluation.counted.length < evaluation.threshold) throw refusalFor(template, evaluation);
  memo.remember(scope, digest, {
    signatures: evaluation.countedEntries,
    keyIds: evaluation.counted,
    validUntilMs: evaluation.validUntilMs,
  });
  return { keyIds: evaluation.counted, memoized: false, validUntilMs: evaluation.validUntilMs };
}

/** On a memo hit, the entries that did not count must still be well-formed (as a full evaluation requires). */
function refuseMalformed(
  compiled: CompiledTrustPolicy,
  template: AgentTemplate,
  entries: readonly unknown[],
  counted: readonly string[],
): void {
  for (const [index, entry] of entries.entries()) {
    const text = entryText(entry);
    if (text !== undefined && counted.includes(text)) continue;
    if (text === undefined || !isWellFormedEntry(entry, compiled))
      throw new SignatureError("malformed", `${template.id}@${template.version}: signatures[${index}]: malformed`, {
        templateId: template.id,
        version: template.version,
        entries: [{ index, reason: "malformed" }],
      });
  }
}
