import { errorCode } from "@nextgen/core";

/**
 * The low-cardinality `error.type` of a failure: the `NG_ERR_…` code of a NextGenError (of
 * any @nextgen package), else core's one fallback for uncoded errors (`NG_ERR_INTERNAL_ERROR`),
 * so spans, metrics, the CLI and problem+json name an uncoded failure the same way.
 * @internal
 */
export function errorType(error: unknown): string {
  return errorCode(error);
}
