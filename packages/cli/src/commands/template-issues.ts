import { TemplateParseError, TemplateResolveError, TemplateValidationError, UNCODED_ERROR_CODE } from "@nextgen/core";
import { identityMismatch, parseTemplateFileName } from "@nextgen/core/internal";
import { failureCode } from "./failure-line.js";

/** One problem `nextgen validate` found in a file (the `--json` shape of an issue). @internal */
export interface TemplateIssue {
  /** `NG_ERR_…` code of the problem. */
  code: string;
  /** RFC 6901 pointer of the offending value (`""` is the whole template), when known. */
  pointer?: string;
  /** What is wrong. */
  message: string;
  /** What was expected, when that helps. */
  expected?: string;
  /** What was found, shortened. */
  actual?: string;
  /** The closest known key, for unknown keys. */
  suggestion?: string;
  /** 1-based line and column in the file, for parse errors. */
  line?: number;
  column?: number;
  /** The `extends` chain followed, child first, for resolve errors. */
  chain?: string[];
}

/**
 * Turns what `parseTemplate` / `resolveTemplate` threw into issues: one per validation
 * issue of a `TemplateValidationError`, one for any other error (with its code).
 * @internal
 */
export function issuesOf(error: unknown): TemplateIssue[] {
  if (error instanceof TemplateValidationError) {
    return error.issues.map((issue) => ({
      code: error.code,
      pointer: issue.pointer,
      message: issue.message,
      ...(issue.expected === undefined ? {} : { expected: issue.expected }),
      ...(issue.actual === undefined ? {} : { actual: issue.actual }),
      ...(issue.suggestion === undefined ? {} : { suggestion: issue.suggestion }),
    }));
  }
  const code = failureCode(error) ?? UNCODED_ERROR_CODE;
  const issue: TemplateIssue = {
    code: String(code),
    message: error instanceof Error ? error.message : String(error),
  };
  if (error instanceof TemplateParseError) {
    if (error.pointer !== undefined) issue.pointer = error.pointer;
    if (error.line !== undefined) issue.line = error.line;
    if (error.column !== undefined) issue.column = error.column;
  }
  if (error instanceof TemplateResolveError) issue.chain = [...error.chain];
  return [issue];
}

/**
 * The id/path rule of `directorySource`: below a directory, `a/b.json` (or `.json.zst`)
 * must hold id `a/b`, and `a/b@1.2.0.json` must hold id `a/b` at version `1.2.0`.
 * Returns the issue, or `undefined` when the path agrees with the content.
 * @internal
 */
export function pathIssue(relativePath: string, id: string, version: string): TemplateIssue | undefined {
  const name = parseTemplateFileName(relativePath);
  if (name === undefined) {
    return {
      code: "NG_ERR_SOURCE_ID_INVALID",
      pointer: "/id",
      message: `file name "${relativePath}" is not <id>.json or <id>@<version>.json, so a directory source would skip it`,
      expected: `"${id}.json" or "${id}@${version}.json"`,
      actual: JSON.stringify(relativePath),
    };
  }
  const mismatch = identityMismatch({ id, version }, name);
  if (mismatch === "id") {
    return {
      code: "NG_ERR_SOURCE_ID_MISMATCH",
      pointer: "/id",
      message: `id does not match the file's path "${relativePath}"`,
      expected: JSON.stringify(name.id),
      actual: JSON.stringify(id),
    };
  }
  if (mismatch === "version") {
    return {
      code: "NG_ERR_SOURCE_ID_MISMATCH",
      pointer: "/version",
      message: `version does not match the file name "${relativePath}"`,
      expected: JSON.stringify(name.version),
      actual: JSON.stringify(version),
    };
  }
  return undefined;
}

/** One stderr line for an issue: `nextgen: <file>#<pointer>: NG_ERR_…: message, expected …, got … (did you mean …?)`. @internal */
export function formatIssue(file: string, issue: TemplateIssue): string {
  const place =
    issue.pointer !== undefined
      ? `${file}#${issue.pointer === "" ? "/" : issue.pointer}`
      : issue.line !== undefined
        ? `${file}:${issue.line}:${issue.column ?? 1}`
        : file;
  // Parse errors already name the file (and line) at the start of their message.
  const message = issue.message.startsWith(`${file}:`)
    ? issue.message
        .slice(file.length + 1)
        .replace(/^\d+:\d+:/, "")
        .trimStart()
    : issue.message;
  // Some messages already say what is expected ("must be a semantic version such as 1.2.0"): do not repeat it.
  const expected =
    issue.expected === undefined || message.includes(issue.expected) ? "" : `, expected ${issue.expected}`;
  const actual = issue.actual === undefined ? "" : `, got ${issue.actual}`;
  const hint = issue.suggestion === undefined ? "" : ` (did you mean "${issue.suggestion}"?)`;
  return `nextgen: ${place}: ${issue.code}: ${message.replace(/\s*\n\s*/g, "; ")}${expected}${actual}${hint}`;
}
