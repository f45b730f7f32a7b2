import type { ErrorCode } from "./codes.js";
import { NextGenError } from "./next-gen-error.js";

/** The codes a {@link TemplateParseError} can carry. */
export type TemplateParseErrorCode = Extract<
  ErrorCode,
  | "NG_ERR_TEMPLATE_PARSE"
  | "NG_ERR_TEMPLATE_TOO_LARGE"
  | "NG_ERR_TEMPLATE_TOO_DEEP"
  | "NG_ERR_TEMPLATE_DUPLICATE_KEY"
  | "NG_ERR_TEMPLATE_FORBIDDEN_KEY"
>;

/** Where in the text a {@link TemplateParseError} was found. */
export interface TemplateParseErrorDetails {
  /** File path (or other label) of the text, when the caller gave one. */
  location?: string | undefined;
  /** 1-based line of the offending character. */
  line?: number | undefined;
  /** 1-based column (in UTF-16 code units) of the offending character. */
  column?: number | undefined;
  /** RFC 6901 pointer of the offending member, for key errors. */
  pointer?: string | undefined;
}

/**
 * Raised by `parseTemplate` when the text is refused before validation: not UTF-8 or
 * not JSON, too large, too deep, a duplicate key or a forbidden key.
 *
 * @example
 * ```ts
 * try {
 *   parseTemplate('{"__proto__": {}}', { location: "evil.json" });
 * } catch (error) {
 *   if (error instanceof TemplateParseError) console.error(error.code, error.pointer); // NG_ERR_TEMPLATE_FORBIDDEN_KEY /__proto__
 * }
 * ```
 */
export class TemplateParseError extends NextGenError {
  override readonly name: string = "TemplateParseError";
  /** File path (or label) of the text, if known. */
  readonly location: string | undefined;
  /** 1-based line, if known. */
  readonly line: number | undefined;
  /** 1-based column, if known. */
  readonly column: number | undefined;
  /** RFC 6901 pointer of the offending member, for key errors. */
  readonly pointer: string | undefined;

  constructor(code: TemplateParseErrorCode, message: string, details: TemplateParseErrorDetails = {}) {
    super(code, `${formatPlace(details)}${message}`);
    this.location = details.location;
    this.line = details.line;
    this.column = details.column;
    this.pointer = details.pointer;
  }
}

function formatPlace(details: TemplateParseErrorDetails): string {
  const position = details.line === undefined ? "" : `${details.line}:${details.column ?? 1}`;
  if (details.location !== undefined)
    return position === "" ? `${details.location}: ` : `${details.location}:${position}: `;
  return position === "" ? "" : `${position}: `;
}
