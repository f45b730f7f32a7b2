import { AUDIT_ERROR_CODES } from "./codes/audit.js";
import { CACHE_ERROR_CODES } from "./codes/cache.js";
import { FACTORY_ERROR_CODES } from "./codes/factory.js";
import { INTERNAL_ERROR_CODES } from "./codes/internal.js";
import { OPTIONS_ERROR_CODES } from "./codes/options.js";
import { POOL_ERROR_CODES } from "./codes/pool.js";
import { SIGNATURE_ERROR_CODES } from "./codes/signature.js";
import { SOURCE_ERROR_CODES } from "./codes/source.js";
import { TEMPLATE_ERROR_CODES } from "./codes/template.js";
import { TOOL_ERROR_CODES } from "./codes/tools.js";
import { TRUST_ERROR_CODES } from "./codes/trust.js";
import { WASI_ERROR_CODES } from "./codes/wasi.js";

/**
 * A documented `NG_ERR_<AREA>_<WHAT>` code that `@nextgen/core` raises (see `docs/errors.md`).
 * Other packages own their codes (`BackupErrorCode`, `CompressionErrorCode`, …) and raise them
 * with the same `NextGenError` base class.
 *
 * @example
 * ```ts
 * const retryable: ErrorCode[] = ["NG_ERR_SOURCE_UNAVAILABLE", "NG_ERR_CACHE_TIMEOUT"];
 * if (error instanceof NextGenError && retryable.includes(error.code as ErrorCode)) retry();
 * ```
 */
export type ErrorCode =
  | (typeof OPTIONS_ERROR_CODES)[number]
  | (typeof INTERNAL_ERROR_CODES)[number]
  | (typeof TEMPLATE_ERROR_CODES)[number]
  | (typeof SOURCE_ERROR_CODES)[number]
  | (typeof FACTORY_ERROR_CODES)[number]
  | (typeof SIGNATURE_ERROR_CODES)[number]
  | (typeof TRUST_ERROR_CODES)[number]
  | (typeof CACHE_ERROR_CODES)[number]
  | (typeof POOL_ERROR_CODES)[number]
  | (typeof TOOL_ERROR_CODES)[number]
  | (typeof AUDIT_ERROR_CODES)[number]
  | (typeof WASI_ERROR_CODES)[number];

/**
 * Every error code `@nextgen/core` raises, grouped by area (one file per area in `./codes/`).
 * Each is documented in `docs/errors.md`; a test fails when they differ, and when a listed
 * code is never raised.
 */
export const ERROR_CODES: readonly ErrorCode[] = [
  ...OPTIONS_ERROR_CODES,
  ...INTERNAL_ERROR_CODES,
  ...TEMPLATE_ERROR_CODES,
  ...SOURCE_ERROR_CODES,
  ...FACTORY_ERROR_CODES,
  ...SIGNATURE_ERROR_CODES,
  ...TRUST_ERROR_CODES,
  ...CACHE_ERROR_CODES,
  ...POOL_ERROR_CODES,
  ...TOOL_ERROR_CODES,
  ...AUDIT_ERROR_CODES,
  ...WASI_ERROR_CODES,
];
