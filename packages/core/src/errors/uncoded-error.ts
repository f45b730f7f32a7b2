import { NextGenError } from "./next-gen-error.js";

/**
 * The one code for a thrown value that carries none: a bug, or a third-party error nothing
 * wrapped. Every place that turns an unknown value into a coded one (problem+json, CLI
 * output, span attributes, audit reasons) uses it, through {@link errorCode} or
 * {@link toNextGenError}.
 *
 * @example
 * ```ts
 * if (errorCode(error) === UNCODED_ERROR_CODE) logger.error({ err: error }, "unexpected failure");
 * ```
 */
export const UNCODED_ERROR_CODE = "NG_ERR_INTERNAL_ERROR" as const;

/**
 * The `NG_ERR_*` code of any thrown value: a `NextGenError`'s code (from any @nextgen package),
 * a plain object's `code` when it is an `NG_ERR_*` string (an error that crossed a worker or
 * a process boundary), else {@link UNCODED_ERROR_CODE}.
 *
 * @example
 * ```ts
 * try {
 *   await agent.run(task);
 * } catch (error) {
 *   metrics.failures.inc({ code: errorCode(error) });
 * }
 * ```
 */
export function errorCode(error: unknown): string {
  if (NextGenError.is(error)) return error.code;
  const code = typeof error === "object" && error !== null ? (error as { code?: unknown }).code : undefined;
  return typeof code === "string" && code.startsWith("NG_ERR_") ? code : UNCODED_ERROR_CODE;
}

/**
 * `error` itself when it is a `NextGenError`; otherwise a `NextGenError` with
 * {@link UNCODED_ERROR_CODE}, `message` (default: the value's own message) and the original
 * value as `cause`.
 *
 * @example
 * ```ts
 * const coded = toNextGenError(error, "Unexpected failure; see the service log.");
 * reply.code(500).send({ code: coded.code, detail: coded.message });
 * ```
 */
export function toNextGenError(error: unknown, message?: string): NextGenError<string> {
  if (NextGenError.is(error)) return error;
  const own = error instanceof Error ? error.message : String(error);
  return new NextGenError(UNCODED_ERROR_CODE, message ?? own, { cause: error });
}
