/**
 * Every code the reference agent service raises over HTTP (documented in `docs/errors.md`; a
 * test checks each is raised). An uncoded failure is core's `NG_ERR_INTERNAL_ERROR`.
 */
export const SERVICE_ERROR_CODES = [
  "NG_ERR_SERVICE_CONFIG",
  "NG_ERR_SERVICE_DRAINING",
  "NG_ERR_AUTH_MISSING",
  "NG_ERR_AUTH_INVALID",
  "NG_ERR_AUTH_FORBIDDEN",
  "NG_ERR_HTTP_NOT_FOUND",
  "NG_ERR_HTTP_BODY_TOO_LARGE",
  "NG_ERR_HTTP_INVALID_REQUEST",
  "NG_ERR_HTTP_UNSUPPORTED_MEDIA_TYPE",
  "NG_ERR_RUN_NOT_FOUND",
  "NG_ERR_RUN_STORE_UNAVAILABLE",
] as const;

/** A code the agent service raises. */
export type ServiceErrorCode = (typeof SERVICE_ERROR_CODES)[number];
