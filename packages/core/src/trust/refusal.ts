import type { AgentTemplate } from "../template/types.js";
import type { SignatureEvaluation } from "./evaluate-signatures.js";
import { SignatureError } from "./signature-error.js";

/**
 * @internal The error for a template whose valid signatures fall short of the threshold:
 * the first entry's failure when one failed (a revoked key says more than "1 of 2"),
 * otherwise threshold-not-met.
 */
export function refusalFor(template: AgentTemplate, evaluation: SignatureEvaluation): SignatureError {
  const name = `${template.id}@${template.version}`;
  const subject = { templateId: template.id, version: template.version, entries: evaluation.failures };
  const tally = `${evaluation.counted.length} of ${evaluation.threshold} required signatures valid${
    evaluation.counted.length > 0 ? ` (${evaluation.counted.join(", ")})` : ""
  }`;
  const first = evaluation.failures[0];
  if (first === undefined) {
    const scope =
      evaluation.delegation === undefined
        ? "distinct trusted keys"
        : `distinct keys of the delegation for ${evaluation.delegation.patterns.join(", ")}`;
    return new SignatureError(
      "threshold-not-met",
      `${name}: ${tally}; signatures must come from ${evaluation.threshold} ${scope}`,
      subject,
    );
  }
  const details = evaluation.failures
    .map(
      (failure) =>
        `signatures[${failure.index}]${failure.keyId === undefined ? "" : ` (kid "${failure.keyId}")`}: ${failure.reason}`,
    )
    .join("; ");
  return new SignatureError(first.reason, `${name}: ${tally}; ${details}`, subject);
}
