import { compareVersions } from "../source/semver-compare.js";
import { SignatureError } from "./signature-error.js";
import type { HighWaterMark } from "./state-store.js";

/**
 * Whether `next` moves the mark of `templateId` forward from `previous`:
 * `true` for a higher version (or the first mark), `false` when it is already the mark.
 * Throws the rollback refusal for a lower version or versions that cannot be ordered, and
 * `version-reused` for the same version with another digest (as the verifier does).
 *
 * The one rollback-advance rule: every store runs it — memory, file, and the Redis store
 * (through `@nextgen/core/internal`) against the value its Lua compare-and-set then checks is
 * unchanged — so that a `set` racing another replica's can never lower a mark, whatever `get`
 * said before it.
 *
 * @example
 * ```ts
 * import { advancesMark } from "@nextgen/core/internal";
 *
 * if (advancesMark(id, await store.get(id), { version: "1.2.0", digest })) await write();
 * ```
 */
export function advancesMark(templateId: string, previous: HighWaterMark | undefined, next: HighWaterMark): boolean {
  if (previous === undefined) return true;
  const subject = { templateId, version: next.version };
  const order = compareVersions(next.version, previous.version) ?? (next.version === previous.version ? 0 : undefined);
  if (order === undefined) {
    throw new SignatureError(
      "rollback",
      `${templateId}: cannot order version ${next.version} against accepted ${previous.version}`,
      subject,
    );
  }
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
