// One place where every human-readable line of `nextgen` passes before it reaches a
// terminal: template fields, signature headers, file names and error messages can come
// from untrusted files, and raw control characters in them would let a crafted `kid`
// redraw the screen (show `semgrep` where the template grants `shell-exec`).

// C0 controls (but tab and newline), DEL, C1 controls, and the bidirectional overrides
// and isolates that reorder what a reviewer reads ("Trojan Source", CVE-2021-42574).
// biome-ignore lint/suspicious/noControlCharactersInRegex: matching control characters (to escape them) is the point.
const UNSAFE_KEEP_LINES = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;
// biome-ignore lint/suspicious/noControlCharactersInRegex: as above, newlines and tabs included.
const UNSAFE = /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;

const escapeCharacter = (character: string): string => `\\u${character.charCodeAt(0).toString(16).padStart(4, "0")}`;

/**
 * Escapes every control character of `value` (newlines and tabs too) as `\uXXXX`, for a
 * value shown inside a line: a table cell, a header field, a file name.
 *
 * @example
 * ```ts
 * escapeControl("semgrep\u001b[2K\rshell-exec"); // "semgrep\\u001b[2K\\u000dshell-exec"
 * ```
 */
export function escapeControl(value: string): string {
  return value.replace(UNSAFE, escapeCharacter);
}

/**
 * Escapes control characters of a whole output text, keeping its newlines and tabs. The
 * `\uXXXX` form is also what JSON uses inside strings, so `--json` output stays valid
 * and means the same.
 *
 * @example
 * ```ts
 * terminalSafe("ok\tsecurity/auditor\u009b31m\n"); // "ok\tsecurity/auditor\\u009b31m\n"
 * ```
 */
export function terminalSafe(text: string): string {
  return text.replace(UNSAFE_KEEP_LINES, escapeCharacter);
}

/**
 * Writes `text` to stdout through {@link terminalSafe}. Every command prints with it.
 *
 * @example
 * ```ts
 * writeOut(`signed ${count} template(s)\n`);
 * ```
 */
export function writeOut(text: string): void {
  process.stdout.write(terminalSafe(text));
}

/**
 * Writes `text` to stderr through {@link terminalSafe}. Every command prints with it.
 *
 * @example
 * ```ts
 * writeErr(`nextgen: ${error.code}: ${error.message}\n`);
 * ```
 */
export function writeErr(text: string): void {
  process.stderr.write(terminalSafe(text));
}
