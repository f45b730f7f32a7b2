/**
 * The low-cardinality `error.type` of a failure: the `NG_ERR_…` code of a NextGenError,
 * the class name of another error, or `_OTHER` (the OpenTelemetry fallback value).
 * @internal
 */
export function errorType(error: unknown): string {
  if (typeof error === "object" && error !== null) {
    const code = (error as { code?: unknown }).code;
    if (typeof code === "string" && code.length > 0) return code;
    const name = (error as { name?: unknown }).name;
    if (typeof name === "string" && name.length > 0) return name;
  }
  return "_OTHER";
}
