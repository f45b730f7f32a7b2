import type { JsonValue } from "./types.js";

/**
 * Longest text (in UTF-16 code units) tried with `JSON.parse` first. Ordinary templates, trust
 * policies and JWS headers are a few kilobytes; past this, the strict parser alone reads the
 * text, so a guide can stop it early and a refused text is never parsed twice at any size.
 */
export const NATIVE_PARSE_MAX_LENGTH = 16_384;

const FORBIDDEN_KEYS: ReadonlySet<string> = new Set(["__proto__", "constructor", "prototype"]);

/** `String.prototype.isWellFormed` (ES2024, in every Node this package supports; not in the ES2023 lib). */
interface WellFormedString {
  isWellFormed(): boolean;
}

/** What {@link isStrict} counts while it walks a value. */
interface Tally {
  /** Object keys seen. */
  keys: number;
  /** Deepest nesting of objects and arrays (the top-level value is depth 1; 0 for a scalar). */
  deepest: number;
}

/**
 * `text` parsed by `JSON.parse`, with the deepest nesting it reaches, when the strict parser
 * would return the very same value, or undefined when it might refuse the text (then it must read it, to refuse it with its code,
 * line and column). `JSON.parse` already refuses what RFC 8259 refuses, including a byte order
 * mark. A text with any backslash escape is left to the strict parser (see the code). What
 * `JSON.parse` lets through is checked on its result: lone surrogates in keys and strings,
 * numbers beyond the double range (`Infinity`), `__proto__`, `constructor` and `prototype`
 * keys (it keeps them as own keys), nesting deeper than `maxDepth`, and duplicate keys, which
 * it merges: in valid JSON every `:` outside strings separates one member, so the result has
 * as many keys as the text has such colons exactly when no key is repeated.
 * @internal
 *
 * @example
 * ```ts
 * const parsed = parseNatively(text, 32); // { value, depth } or undefined: use the strict parser
 * ```
 */
export function parseNatively(text: string, maxDepth: number): { value: JsonValue; depth: number } | undefined {
  // Any escape sends the text to the strict parser. Node 24's JSON.parse was seen to return a
  // wrong key for an escaped duplicate (`{"a":1,"\u0061":"s:t"}` read as `{ a: 1, "\\": "s:t" }`
  // once earlier parses had warmed it), which the colon count cannot see; texts without a
  // backslash leave it nothing to unescape.
  if (text.includes("\\")) return undefined;
  let value: JsonValue;
  try {
    value = JSON.parse(text) as JsonValue;
  } catch {
    return undefined;
  }
  const tally: Tally = { keys: 0, deepest: 0 };
  if (!isStrict(value, 1, maxDepth, tally)) return undefined;
  return tally.keys === countMembers(text) ? { value, depth: tally.deepest } : undefined;
}

/** Whether the strict parser would accept `value` (at nesting `depth`) as is; counts into `tally`. */
function isStrict(value: JsonValue, depth: number, maxDepth: number, tally: Tally): boolean {
  if (typeof value === "string") return (value as unknown as WellFormedString).isWellFormed();
  if (typeof value === "number") return Number.isFinite(value);
  if (typeof value !== "object" || value === null) return true;
  if (depth > maxDepth) return false;
  if (depth > tally.deepest) tally.deepest = depth;
  if (Array.isArray(value)) {
    for (const item of value) if (!isStrict(item, depth + 1, maxDepth, tally)) return false;
    return true;
  }
  const names = Object.keys(value);
  tally.keys += names.length;
  for (const name of names) {
    if (FORBIDDEN_KEYS.has(name) || !(name as unknown as WellFormedString).isWellFormed()) return false;
    if (!isStrict(value[name]!, depth + 1, maxDepth, tally)) return false;
  }
  return true;
}

/** How many `:` of valid JSON `text` lie outside strings: one per object member. */
function countMembers(text: string): number {
  let members = 0;
  let position = 0;
  // Both searches only move forward, so the count is linear in the text whatever its shape.
  let colon = text.indexOf(":");
  for (;;) {
    const quote = text.indexOf('"', position);
    const end = quote === -1 ? text.length : quote;
    while (colon !== -1 && colon < end) {
      members++;
      colon = text.indexOf(":", colon + 1);
    }
    if (quote === -1) return members;
    position = closingQuote(text, quote) + 1;
    if (colon !== -1 && colon < position) colon = text.indexOf(":", position);
  }
}

/** The quote that closes the string opened at `open` (valid JSON: it exists). */
function closingQuote(text: string, open: number): number {
  let close = text.indexOf('"', open + 1);
  for (;;) {
    // A quote ends the string unless an odd run of backslashes escapes it.
    let backslashes = 0;
    while (text.charCodeAt(close - 1 - backslashes) === 0x5c) backslashes++;
    if (backslashes % 2 === 0) return close;
    close = text.indexOf('"', close + 1);
  }
}
