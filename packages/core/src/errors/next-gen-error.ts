import type { ErrorCode } from "./codes.js";

/**
 * The brand shared by every `NextGenError`, across duplicate installs and across
 * packages (`@nextgen/compression` brands its errors the same way without importing core).
 */
export const NEXTGEN_ERROR_BRAND: unique symbol = Symbol.for("nextgen.error") as never;

/** Options accepted by every `NextGenError` constructor. */
export interface NextGenErrorOptions {
  /** The underlying error, kept for debugging and logged by hosts. */
  cause?: unknown;
}

/**
 * The one base class of every error the SDK raises. Check the `code`, not the message.
 *
 * @example
 * ```ts
 * try {
 *   await factory.create("security/auditor");
 * } catch (error) {
 *   if (NextGenError.is(error, "NG_ERR_TOOL_UNKNOWN")) console.error(error.message);
 * }
 * ```
 */
export class NextGenError extends Error {
  /** Literal so that minifiers cannot change it. */
  override readonly name: string = "NextGenError";
  /** The documented error code (see `docs/errors.md`). */
  readonly code: ErrorCode;

  constructor(code: ErrorCode, message: string, options?: NextGenErrorOptions) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    Object.defineProperty(this, NEXTGEN_ERROR_BRAND, { value: true });
  }

  /**
   * Whether `value` is a `NextGenError` (from any copy of the SDK), optionally with
   * the given code.
   */
  static is<C extends ErrorCode = ErrorCode>(value: unknown, code?: C): value is NextGenError & { code: C } {
    if (typeof value !== "object" || value === null) return false;
    if ((value as { [NEXTGEN_ERROR_BRAND]?: unknown })[NEXTGEN_ERROR_BRAND] !== true) return false;
    return code === undefined || (value as { code?: unknown }).code === code;
  }
}
