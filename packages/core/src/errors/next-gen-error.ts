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
 * `C` is the union of codes the raising package owns: core's {@link ErrorCode} by default,
 * `BackupErrorCode` for `BackupError`, and so on (as jose's modules list only their own codes).
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
export class NextGenError<C extends string = ErrorCode> extends Error {
  /** Literal so that minifiers cannot change it. */
  override readonly name: string = "NextGenError";
  /** The documented error code (see `docs/errors.md`). */
  readonly code: C;

  // `NoInfer`: `new NextGenError(code, …)` checks `code` against core's codes; another
  // package names its own union (`new NextGenError<McpErrorCode>(…)`) or subclasses.
  constructor(code: NoInfer<C>, message: string, options?: NextGenErrorOptions) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    Object.defineProperty(this, NEXTGEN_ERROR_BRAND, { value: true });
  }

  /**
   * Whether `value` is a `NextGenError` (from any copy of the SDK and any @nextgen package),
   * optionally with the given code. Given a code of any package, narrows to that code;
   * without one, to core's codes (use `errorCode(value)` when any package's code may come).
   */
  static is<K extends string = ErrorCode>(value: unknown, code?: K): value is NextGenError<K> {
    if (typeof value !== "object" || value === null) return false;
    if ((value as { [NEXTGEN_ERROR_BRAND]?: unknown })[NEXTGEN_ERROR_BRAND] !== true) return false;
    return code === undefined || (value as { code?: unknown }).code === code;
  }
}
