import type { SIGNATURE_ERROR_CODES } from "../errors/codes/signature.js";
import type { ErrorCode } from "../errors/codes.js";
import { NextGenError } from "../errors/next-gen-error.js";

/** Why a template's signatures were refused. Each reason has its own error code. */
export type SignatureFailureReason =
  | "missing"
  | "malformed"
  | "bad-signature"
  | "unknown-key"
  | "revoked-key"
  | "key-out-of-window"
  | "algorithm-not-allowed"
  | "expired"
  | "threshold-not-met"
  | "not-delegated"
  | "chain-not-delegated"
  | "rollback"
  | "version-reused";

/** The error code of each refusal reason. */
export const SIGNATURE_REASON_CODES: Readonly<Record<SignatureFailureReason, (typeof SIGNATURE_ERROR_CODES)[number]>> =
  {
    missing: "NG_ERR_SIGNATURE_MISSING",
    malformed: "NG_ERR_SIGNATURE_MALFORMED",
    "bad-signature": "NG_ERR_SIGNATURE_BAD",
    "unknown-key": "NG_ERR_SIGNATURE_KEY_UNKNOWN",
    "revoked-key": "NG_ERR_SIGNATURE_KEY_REVOKED",
    "key-out-of-window": "NG_ERR_SIGNATURE_KEY_OUT_OF_WINDOW",
    "algorithm-not-allowed": "NG_ERR_SIGNATURE_ALGORITHM",
    expired: "NG_ERR_SIGNATURE_EXPIRED",
    "threshold-not-met": "NG_ERR_SIGNATURE_THRESHOLD",
    "not-delegated": "NG_ERR_SIGNATURE_NOT_DELEGATED",
    "chain-not-delegated": "NG_ERR_SIGNATURE_CHAIN_NOT_DELEGATED",
    rollback: "NG_ERR_SIGNATURE_ROLLBACK",
    "version-reused": "NG_ERR_SIGNATURE_VERSION_REUSED",
  };

/** What went wrong with one entry of `signatures[]`. */
export interface SignatureEntryFailure {
  /** Position of the entry in `signatures[]`. */
  index: number;
  /** The entry's `kid`, when its header could be read. */
  keyId?: string;
  /** Why this entry did not count. */
  reason: SignatureFailureReason;
}

/** Fields of a `SignatureError` besides its message. */
export interface SignatureErrorDetails {
  /** Template id. */
  templateId?: string;
  /** Template version. */
  version?: string;
  /** Why each signature entry that did not count was rejected. */
  entries?: SignatureEntryFailure[];
  /** The underlying error. */
  cause?: unknown;
}

/**
 * A template's signatures do not satisfy the trust policy. Branch on `reason` (or the
 * matching `code`); `entries` says what was wrong with each signature.
 *
 * @example
 * ```ts
 * try {
 *   await policy.verify(template);
 * } catch (error) {
 *   if (error instanceof SignatureError && error.reason === "rollback") alertSecurityTeam(error);
 * }
 * ```
 */
export class SignatureError extends NextGenError {
  override readonly name: string = "NextGenSignatureError";
  /** Why the template was refused. */
  readonly reason: SignatureFailureReason;
  /** Template id, when known. */
  readonly templateId: string | undefined;
  /** Template version, when known. */
  readonly version: string | undefined;
  /** Per-entry failures (empty when the refusal concerns the template as a whole). */
  readonly entries: readonly SignatureEntryFailure[];

  constructor(reason: SignatureFailureReason, message: string, details: SignatureErrorDetails = {}) {
    super(SIGNATURE_REASON_CODES[reason], message, { cause: details.cause });
    this.reason = reason;
    this.templateId = details.templateId;
    this.version = details.version;
    this.entries = details.entries ?? [];
  }

  /**
   * Whether `value` is a signature refusal, optionally with the given code, from any copy of
   * the SDK: it checks the `Symbol.for` brand, an `NG_ERR_SIGNATURE_*` code and a `reason`
   * rather than `instanceof`, so the typed fields are safe to read across duplicate installs.
   *
   * @example
   * ```ts
   * if (SignatureError.is(error, "NG_ERR_SIGNATURE_ROLLBACK")) console.warn(error.templateId, error.reason);
   * ```
   */
  static override is<C extends string = ErrorCode>(value: unknown, code?: C): value is SignatureError & { code: C } {
    return (
      NextGenError.is(value, code) &&
      value.code.startsWith("NG_ERR_SIGNATURE_") &&
      typeof (value as { reason?: unknown }).reason === "string"
    );
  }
}
