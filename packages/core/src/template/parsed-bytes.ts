import type { JsonValue } from "./types.js";

/** A strict parse of some bytes, kept for the next parse of the same bytes. */
interface KeptParse {
  /** The text the value was parsed from (compared, so changed bytes are parsed again). */
  readonly text: string;
  readonly value: JsonValue;
  /** Deepest nesting the document reached. */
  readonly depth: number;
}

// Keyed by the bytes object: an entry lives no longer than the bytes a source returned.
const kept = new WeakMap<Uint8Array, KeptParse>();

/**
 * Keeps the strict parse of `bytes` for the next {@link takeKeptParse} of them: a
 * directory source parses a file to check the id it declares, and the factory's
 * `parseTemplate` of the same bytes then skips a second parse. The caller must hold no
 * reference to `value` afterwards (it is handed to the taker, who may own it).
 * @internal
 *
 * @example
 * ```ts
 * keepParse(bytes, text, value, depth); // after parseStrictJsonWithDepth(text, …)
 * ```
 */
export function keepParse(bytes: Uint8Array, text: string, value: JsonValue, depth: number): void {
  kept.set(bytes, { text, value, depth });
}

/**
 * The kept parse of `bytes`, once, if they still decode to the same text and it nests no
 * deeper than `maxDepth`; otherwise undefined (parse them).
 * @internal
 *
 * @example
 * ```ts
 * const value = takeKeptParse(bytes, text, 32) ?? parseStrictJson(text, { maxDepth: 32 });
 * ```
 */
export function takeKeptParse(bytes: Uint8Array, text: string, maxDepth: number): JsonValue | undefined {
  const parse = kept.get(bytes);
  if (parse === undefined) return undefined;
  kept.delete(bytes);
  return parse.text === text && parse.depth <= maxDepth ? parse.value : undefined;
}
