import { compareSemver, type HighWaterMark, SignatureError } from "@nextgen/core";
import { isSemver } from "@nextgen/core/internal";

/**
 * The rollback decision of core's stores, made against the mark Redis holds: `true` to
 * write `next`, `false` when it already is the mark; throws the rollback refusal for a
 * lower version or versions that cannot be ordered, and `version-reused` for the same version
 * with another digest.
 * @internal
 */
export function advancesMark(templateId: string, previous: HighWaterMark | undefined, next: HighWaterMark): boolean {
  if (previous === undefined) return true;
  const subject = { templateId, version: next.version };
  const same = next.version === previous.version;
  const orderable = isSemver(next.version) && isSemver(previous.version);
  if (!orderable && !same) {
    throw new SignatureError(
      "rollback",
      `${templateId}: cannot order version ${next.version} against accepted ${previous.version}`,
      subject,
    );
  }
  const order = orderable ? Math.sign(compareSemver(next.version, previous.version)) : 0;
  if (order < 0) {
    throw new SignatureError(
      "rollback",
      `${templateId}@${next.version} is older than the accepted ${previous.version} (rollback)`,
      subject,
    );
  }
  if (order === 0 && previous.digest !== next.digest) {
    throw new SignatureError(
      "version-reused",
      `${templateId}@${next.version} has digest ${next.digest}, but ${previous.digest} was accepted for that version: a published version must not change. Bump \`version\` and sign again.`,
      subject,
    );
  }
  return order > 0;
}
