import type { TemplateDigest } from "../template/types.js";

/** The highest version of a template id accepted so far, and its digest. */
export interface HighWaterMark {
  /** Highest accepted version (semver). */
  version: string;
  /** Digest accepted for that version. */
  digest: TemplateDigest;
}

/**
 * Where verification keeps rollback high-water marks, so that a restart does not
 * forget them. `fileStateStore` is the default for `loadTrustPolicy`;
 * `memoryStateStore` suits tests and short-lived processes.
 */
export interface StateStore {
  /** The mark of `templateId`, or undefined when none was accepted yet. */
  get(templateId: string): Promise<HighWaterMark | undefined>;
  /**
   * Records `mark` as the new mark of `templateId`. Durable when the promise resolves.
   * Never lowers a mark, atomically with respect to every other writer of the same state
   * (other policies, other replicas): a lower version rejects with a `rollback`
   * `SignatureError`, the same version with another digest with `version-reused`, and the
   * mark stays as it was; the current mark again resolves and changes nothing.
   * `testStateStore` checks all of it.
   */
  set(templateId: string, mark: HighWaterMark): Promise<void>;
  /**
   * Removes the mark of `templateId`, so that any version is accepted next (and becomes
   * the new mark). Resolves whether a mark was removed. Used by the deliberate, audited
   * `nextgen trust reset-mark`, never by verification.
   */
  delete?(templateId: string): Promise<boolean>;
  /**
   * Rejects when marks cannot be recorded (an unwritable directory, an unreachable server),
   * with a message naming the place. `loadTrustPolicy` and `factory.health()` call it.
   */
  check?(options?: { signal?: AbortSignal }): Promise<void>;
  /** Releases resources. Idempotent. */
  close?(): Promise<void>;
}
