import type { ErrorCode } from "./codes.js";
import { NextGenError } from "./next-gen-error.js";

/** The codes a {@link TemplateResolveError} can carry. */
export type TemplateResolveErrorCode = Extract<
  ErrorCode,
  "NG_ERR_TEMPLATE_EXTENDS_CYCLE" | "NG_ERR_TEMPLATE_EXTENDS_TOO_DEEP" | "NG_ERR_TEMPLATE_NOT_FOUND"
>;

/**
 * Raised by `resolveTemplate` when the `extends` chain cannot be followed: a cycle, a
 * chain longer than the limit, or a parent that does not exist.
 *
 * @example
 * ```ts
 * const error = await factory.create("a/x").catch((caught: unknown) => caught);
 * if (error instanceof TemplateResolveError) console.error(error.code, error.chain.join(" → ")); // a/x → b/y → a/x
 * ```
 */
export class TemplateResolveError extends NextGenError {
  override readonly name: string = "TemplateResolveError";
  /** The ids followed so far, child first (for a cycle, ending with the repeated id). */
  readonly chain: readonly string[];

  constructor(
    code: TemplateResolveErrorCode,
    message: string,
    chain: readonly string[],
    options?: { cause?: unknown },
  ) {
    super(code, message, options);
    this.chain = Object.freeze([...chain]);
  }
}
