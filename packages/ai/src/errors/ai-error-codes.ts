/**
 * Every code `@nextgen/ai` raises itself (documented in `docs/errors.md`; a test checks each
 * is raised). Tool, model and delegation refusals are core's codes.
 */
export const AI_ERROR_CODES = ["NG_ERR_AGENT_OUTPUT_INVALID"] as const;

/**
 * A code `@nextgen/ai` raises, on a `NextGenError`.
 *
 * @example
 * ```ts
 * const code: AiErrorCode = "NG_ERR_AGENT_OUTPUT_INVALID";
 * if (NextGenError.is(error, code)) askAgain();
 * ```
 */
export type AiErrorCode = (typeof AI_ERROR_CODES)[number];
