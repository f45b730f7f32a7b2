/**
 * The codes `@nextgen/compression` owns (documented in `docs/errors.md`; a test checks each is
 * raised). It also raises core's `NG_ERR_OPTIONS_INVALID`, without importing core.
 * @internal
 */
export const COMPRESSION_ERROR_CODES = [
  "NG_ERR_CODEC_CORRUPT",
  "NG_ERR_CODEC_TOO_LARGE",
  "NG_ERR_CODEC_DICTIONARY",
  "NG_ERR_CODEC_UNAVAILABLE",
  "NG_ERR_CODEC_IO",
] as const;

/**
 * The codes a {@link CompressionError} carries (documented in `docs/errors.md`).
 *
 * @example
 * ```ts
 * const refused: CompressionErrorCode[] = ["NG_ERR_CODEC_CORRUPT", "NG_ERR_CODEC_TOO_LARGE"];
 * if (error instanceof CompressionError && refused.includes(error.code)) quarantine(file);
 * ```
 */
export type CompressionErrorCode = (typeof COMPRESSION_ERROR_CODES)[number] | "NG_ERR_OPTIONS_INVALID";

// The same brand as core's NextGenError, so `NextGenError.is(error, code)` recognises these
// errors without this package importing @nextgen/core at runtime.
const NEXTGEN_ERROR_BRAND: unique symbol = Symbol.for("nextgen.error") as never;

/**
 * Options of a {@link CompressionError}.
 *
 * @example
 * ```ts
 * throw new CompressionError("NG_ERR_CODEC_CORRUPT", "bad frame", { cause: error });
 * ```
 */
export interface CompressionErrorOptions {
  /** The underlying error (a backend's own error, an I/O error). */
  cause?: unknown;
  /** For `NG_ERR_OPTIONS_INVALID`: dotted path of the offending option (`options.level`). */
  option?: string;
  /** For `NG_ERR_CODEC_IO`: the file the failed operation was about. */
  path?: string;
}

/**
 * Every error `@nextgen/compression` raises. It carries the `nextgen.error` brand, so core's
 * `NextGenError.is(error, "NG_ERR_CODEC_CORRUPT")` is true for it.
 *
 * @example
 * ```ts
 * try {
 *   await codec.decode(bytes);
 * } catch (error) {
 *   if (error instanceof CompressionError && error.code === "NG_ERR_CODEC_TOO_LARGE") refuse();
 * }
 * ```
 */
export class CompressionError extends Error {
  /** Literal so that minifiers cannot change it. */
  override readonly name: "CompressionError" = "CompressionError";
  /** The documented error code. */
  readonly code: CompressionErrorCode;
  /** Dotted path of the offending option, for `NG_ERR_OPTIONS_INVALID`. */
  readonly option: string | undefined;
  /** The file a `NG_ERR_CODEC_IO` error is about. */
  readonly path: string | undefined;

  constructor(code: CompressionErrorCode, message: string, options?: CompressionErrorOptions) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.option = options?.option;
    this.path = options?.path;
    Object.defineProperty(this, NEXTGEN_ERROR_BRAND, { value: true });
  }
}

/** Shorthand for a `NG_ERR_OPTIONS_INVALID` error whose message starts with the option path. */
export function optionsError(option: string, message: string): CompressionError {
  return new CompressionError("NG_ERR_OPTIONS_INVALID", `${option} ${message}`, { option });
}

/** Shorthand for a `NG_ERR_CODEC_CORRUPT` error. */
export function corruptError(message: string, cause?: unknown): CompressionError {
  return new CompressionError("NG_ERR_CODEC_CORRUPT", message, { cause });
}

/** Shorthand for a `NG_ERR_CODEC_TOO_LARGE` error. */
export function tooLargeError(limit: number, what: string): CompressionError {
  return new CompressionError("NG_ERR_CODEC_TOO_LARGE", `${what} exceeds maxOutputBytes (${limit} bytes)`);
}
