import { NextGenError } from "@nextgen/core";

// System errors (ENOENT, EACCES, …) that commands meet reading template files carry no NG_ERR
// code of their own: they are named with the code of the area they belong to, reading templates.
const SYSTEM_ERROR_CODE = "NG_ERR_SOURCE_READ";

/**
 * The `NG_ERR_…` code of `error`; `NG_ERR_SOURCE_READ` for a system error (`ENOENT`, …);
 * `undefined` for anything else (a bug: its message is printed as is). @internal
 */
export function failureCode(error: unknown): string | undefined {
  if (NextGenError.is(error)) return error.code;
  const code = (error as { code?: unknown } | undefined)?.code;
  if (typeof code === "string" && code.startsWith("NG_ERR_")) return code;
  if (typeof code === "string" && /^E[A-Z0-9]+$/.test(code)) return SYSTEM_ERROR_CODE;
  return undefined;
}

/** `message` on one line: a multi-line message (every issue of a template) joined with "; ". @internal */
export function oneLine(message: string): string {
  return message
    .split("\n")
    .map((line) => line.trim())
    .filter((line) => line.length > 0)
    .join("; ");
}

/**
 * The one stderr line of a failure: `nextgen: <subject>: NG_ERR_…: <message>`, as the README
 * promises (one line per failure, naming its code). @internal
 *
 * @example
 * ```ts
 * process.stderr.write(`${failureLine("templates/a.json", error)}\n`);
 * ```
 */
export function failureLine(subject: string | undefined, error: unknown): string {
  const message = oneLine(error instanceof Error ? error.message : String(error));
  const code = failureCode(error);
  // Node's own messages start with their errno ("ENOENT: no such file…"): keep it, after ours.
  return `nextgen: ${subject === undefined ? "" : `${subject}: `}${code === undefined ? "" : `${code}: `}${message}`;
}
