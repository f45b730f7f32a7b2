import type { ErrorCode } from "./codes.js";
import { NextGenError } from "./next-gen-error.js";

/** One problem found in a template, located by an RFC 6901 JSON pointer. */
export interface ValidationIssue {
  /** RFC 6901 pointer of the offending value (`""` is the whole template). */
  pointer: string;
  /** What is wrong, in a sentence a person understands. */
  message: string;
  /**
   * The JSON Schema keyword that failed: `type`, `required`, `additionalProperties`,
   * `pattern`, `enum`, `const`, `minimum`, `maximum`, `minLength`, `maxLength`,
   * `maxItems`, `uniqueItems`, `integer`.
   */
  keyword: string;
  /** What was expected, when that helps (`integer 0..10`). */
  expected?: string;
  /** What was found, shortened (`string "hot"`). */
  actual?: string;
  /** The closest known key, for unknown keys ("did you mean"). */
  suggestion?: string;
}

/**
 * Raised when a template (or `create` overrides) does not match the schema. `issues`
 * lists every problem at once, not only the first.
 *
 * @example
 * ```ts
 * try {
 *   parseTemplate(text, { location: "security/auditor.json" });
 * } catch (error) {
 *   if (!(error instanceof TemplateValidationError)) throw error;
 *   for (const issue of error.issues) console.error(`${issue.pointer}: ${issue.message}`, issue.suggestion ?? "");
 * }
 * ```
 */
export class TemplateValidationError extends NextGenError {
  override readonly name: string = "TemplateValidationError";
  /** Every problem found, in document order. */
  readonly issues: readonly ValidationIssue[];
  /** File path (or label) of the template, if known. */
  readonly location: string | undefined;

  constructor(issues: readonly ValidationIssue[], options: { location?: string | undefined; subject?: string } = {}) {
    super("NG_ERR_TEMPLATE_INVALID", formatMessage(issues, options));
    this.issues = Object.freeze(issues.map((issue) => Object.freeze({ ...issue })));
    this.location = options.location;
  }

  /**
   * Whether `value` is a validation refusal (`NG_ERR_TEMPLATE_INVALID` with `issues`) from
   * any copy of the SDK; checks the brand and the fields rather than `instanceof`.
   *
   * @example
   * ```ts
   * if (TemplateValidationError.is(error)) for (const issue of error.issues) console.error(issue.pointer, issue.message);
   * ```
   */
  static override is<C extends string = ErrorCode>(
    value: unknown,
    code?: C,
  ): value is TemplateValidationError & { code: C } {
    return (
      NextGenError.is(value, code) &&
      value.code === "NG_ERR_TEMPLATE_INVALID" &&
      Array.isArray((value as { issues?: unknown }).issues)
    );
  }
}

function formatMessage(
  issues: readonly ValidationIssue[],
  options: { location?: string | undefined; subject?: string },
): string {
  const subject = options.subject ?? (options.location === undefined ? "template" : `template ${options.location}`);
  const count = issues.length === 1 ? "1 problem" : `${issues.length} problems`;
  const lines = issues.map((issue) => {
    // Expected is in the message ("must be a number"); what was found makes the fix obvious.
    const found = issue.actual === undefined ? "" : `, got ${issue.actual}`;
    const hint = issue.suggestion === undefined ? "" : ` (did you mean "${issue.suggestion}"?)`;
    return `  ${issue.pointer === "" ? "/" : issue.pointer}: ${issue.message}${found}${hint}`;
  });
  return `${subject} is invalid, ${count}:\n${lines.join("\n")}`;
}
