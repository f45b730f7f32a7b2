import { OptionsError } from "../errors/options-error.js";
import { TemplateParseError } from "../errors/template-parse-error.js";
import { TemplateValidationError } from "../errors/template-validation-error.js";
import { takeKeptParse } from "./parsed-bytes.js";
import { lineAndColumn, parseStrictJson } from "./strict-json.js";
import { templateGuide } from "./template-guide.js";
import type { AgentTemplate } from "./types.js";
import { validateTemplate } from "./validate-template.js";

/** Options of {@link parseTemplate}. */
export interface ParseTemplateOptions {
  /**
   * Largest accepted template, in bytes of UTF-8, checked before parsing.
   * @default 262144 (256 KiB)
   */
  maxBytes?: number;
  /**
   * Deepest accepted nesting of objects and arrays (the template object is level 1).
   * @default 32
   */
  maxDepth?: number;
  /**
   * File path (or another label) of the text, used in error messages.
   * @default undefined (messages say "template")
   */
  location?: string;
}

/** Default of {@link ParseTemplateOptions.maxBytes}: 256 KiB. */
export const DEFAULT_TEMPLATE_MAX_BYTES = 262_144;
/** Default of {@link ParseTemplateOptions.maxDepth}. */
export const DEFAULT_TEMPLATE_MAX_DEPTH = 32;

const utf8 = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true });

/**
 * Parses and validates one template file. The parser is a strict RFC 8259 one: it
 * refuses invalid UTF-8 or JSON (with line and column), texts over `maxBytes` (checked
 * before parsing), nesting deeper than `maxDepth`, duplicate keys and the keys
 * `__proto__`, `constructor` and `prototype` anywhere. The value is then validated and
 * every problem is reported in one {@link TemplateValidationError}. Parsing follows the
 * schema and stops early when it already refuses the template for its size (more than 100
 * unknown keys, an array past its `maxItems`, a record past its `maxProperties`), so hostile
 * input costs little whatever it holds after that point.
 *
 * @param input - The template as text or as UTF-8 bytes.
 * @throws {TemplateParseError} `NG_ERR_TEMPLATE_PARSE`, `NG_ERR_TEMPLATE_TOO_LARGE`,
 *   `NG_ERR_TEMPLATE_TOO_DEEP`, `NG_ERR_TEMPLATE_DUPLICATE_KEY`, `NG_ERR_TEMPLATE_FORBIDDEN_KEY`.
 * @throws {TemplateValidationError} `NG_ERR_TEMPLATE_INVALID`, with `issues` (possibly before
 *   the whole text was read: the last issue then says so).
 * @throws {OptionsError} when `maxBytes` or `maxDepth` is not a positive integer.
 * @example
 * ```ts
 * import { readFile } from "node:fs/promises";
 * import { parseTemplate } from "@nextgen/core";
 *
 * const path = "templates/security/auditor.json";
 * const template = parseTemplate(await readFile(path), { location: path });
 * template.id; // "security/auditor"
 * ```
 */
export function parseTemplate(input: string | Uint8Array, options: ParseTemplateOptions = {}): AgentTemplate {
  const maxBytes = positiveInteger(options.maxBytes, DEFAULT_TEMPLATE_MAX_BYTES, "options.maxBytes");
  const maxDepth = positiveInteger(options.maxDepth, DEFAULT_TEMPLATE_MAX_DEPTH, "options.maxDepth");
  const location = options.location;
  if (typeof input !== "string" && !(input instanceof Uint8Array)) {
    const actual = input === null ? "null" : typeof input;
    throw new TemplateParseError("NG_ERR_TEMPLATE_PARSE", `expected the template as a string or bytes, got ${actual}`, {
      location,
    });
  }
  const text =
    typeof input === "string" ? checkTextSize(input, maxBytes, location) : decodeBytes(input, maxBytes, location);
  // A directory source already parsed these very bytes (to check their id) under the same rules.
  const value =
    (typeof input === "string" ? undefined : takeKeptParse(input, text, maxDepth)) ??
    parseStrictJson(text, { maxDepth, location, guide: templateGuide(location) });
  const result = validateTemplate(value);
  if (!result.valid) throw new TemplateValidationError(result.issues, { location });
  return result.template;
}

function checkTextSize(text: string, maxBytes: number, location: string | undefined): string {
  // A UTF-16 code unit is 1 to 3 UTF-8 bytes: only the middle range needs counting.
  if (text.length > maxBytes || (text.length * 3 > maxBytes && Buffer.byteLength(text, "utf8") > maxBytes)) {
    throw tooLarge(Buffer.byteLength(text, "utf8"), maxBytes, location);
  }
  return text;
}

function decodeBytes(bytes: Uint8Array, maxBytes: number, location: string | undefined): string {
  if (bytes.byteLength > maxBytes) throw tooLarge(bytes.byteLength, maxBytes, location);
  try {
    return utf8.decode(bytes);
  } catch {
    const offset = firstInvalidUtf8(bytes);
    const prefix = new TextDecoder("utf-8", { ignoreBOM: true }).decode(bytes.subarray(0, offset));
    const { line, column } = lineAndColumn(prefix, prefix.length);
    throw new TemplateParseError("NG_ERR_TEMPLATE_PARSE", `invalid UTF-8 at byte ${offset}`, {
      location,
      line,
      column,
    });
  }
}

function tooLarge(size: number, maxBytes: number, location: string | undefined): TemplateParseError {
  return new TemplateParseError(
    "NG_ERR_TEMPLATE_TOO_LARGE",
    `template is ${size} bytes, more than the limit of ${maxBytes} bytes`,
    { location },
  );
}

/** Byte offset of the first byte that does not start a valid UTF-8 sequence. */
function firstInvalidUtf8(bytes: Uint8Array): number {
  let index = 0;
  while (index < bytes.length) {
    const lead = bytes[index]!;
    if (lead < 0x80) {
      index++;
      continue;
    }
    const [length, low, high] =
      lead >= 0xc2 && lead <= 0xdf
        ? [2, 0x80, 0xbf]
        : lead === 0xe0
          ? [3, 0xa0, 0xbf]
          : lead === 0xed
            ? [3, 0x80, 0x9f]
            : lead >= 0xe1 && lead <= 0xef
              ? [3, 0x80, 0xbf]
              : lead === 0xf0
                ? [4, 0x90, 0xbf]
                : lead === 0xf4
                  ? [4, 0x80, 0x8f]
                  : lead >= 0xf1 && lead <= 0xf3
                    ? [4, 0x80, 0xbf]
                    : [0, 0, 0];
    if (length === 0) return index;
    const second = bytes[index + 1];
    if (second === undefined || second < low || second > high) return index;
    for (let next = 2; next < length; next++) {
      const continuation = bytes[index + next];
      if (continuation === undefined || continuation < 0x80 || continuation > 0xbf) return index;
    }
    index += length;
  }
  return index;
}

function positiveInteger(value: number | undefined, fallback: number, option: string): number {
  if (value === undefined) return fallback;
  if (!Number.isSafeInteger(value) || value < 1)
    throw new OptionsError(option, `must be a positive integer, got ${value}`);
  return value;
}
