import { TemplateParseError, type TemplateParseErrorCode } from "../errors/template-parse-error.js";
import { formatPointer } from "./json-pointer.js";
import { NATIVE_PARSE_MAX_LENGTH, parseNatively } from "./native-parse.js";
import type { StrictJsonGuide } from "./parse-guide.js";
import type { JsonValue } from "./types.js";

/** Limits and labels of {@link parseStrictJson}. */
export interface StrictJsonOptions<Node = unknown> {
  /** Deepest allowed nesting of objects and arrays (the top-level value is depth 1). */
  maxDepth: number;
  /** File path (or label) used in error messages. */
  location?: string | undefined;
  /**
   * Told of every member and item the strict parser reads, so it can refuse the document
   * early. A short text that `JSON.parse` reads exactly as the strict parser would (see
   * `parseNatively`) is returned without it: the guide bounds the work on long texts.
   */
  guide?: StrictJsonGuide<Node> | undefined;
}

/** What sends a string down the careful path: escapes, control characters, surrogates. */
// biome-ignore lint/suspicious/noControlCharactersInRegex: finding control characters (to refuse them) is the point.
const STRING_SPECIAL = /[\\\u0000-\u001f\uD800-\uDFFF]/;

/** Keys refused anywhere in a document: they reach `Object.prototype` in careless code. */
const FORBIDDEN_KEYS: ReadonlySet<string> = new Set(["__proto__", "constructor", "prototype"]);

/**
 * A strict RFC 8259 parser. Unlike `JSON.parse`, it sees duplicate keys (refused, since
 * parsers disagree on which one wins), refuses prototype-polluting keys, lone surrogates
 * (which have no canonical form), numbers outside the double range, and nesting deeper
 * than `maxDepth`. Errors carry line and column.
 */
export function parseStrictJson<Node>(text: string, options: StrictJsonOptions<Node>): JsonValue {
  // A short text the strict parser would accept as is comes faster from the native parser;
  // anything it might refuse is read by the strict parser, which says why and where.
  if (text.length <= NATIVE_PARSE_MAX_LENGTH) {
    const parsed = parseNatively(text, options.maxDepth);
    if (parsed !== undefined) return parsed.value;
  }
  return new StrictJsonParser(text, options).parseDocument();
}

/**
 * {@link parseStrictJson}, also giving the deepest nesting the document reached (0 for a
 * scalar), so a value parsed under one depth limit can be reused under another.
 * @internal
 */
export function parseStrictJsonWithDepth<Node>(
  text: string,
  options: StrictJsonOptions<Node>,
): { value: JsonValue; depth: number } {
  if (text.length <= NATIVE_PARSE_MAX_LENGTH) {
    const parsed = parseNatively(text, options.maxDepth);
    if (parsed !== undefined) return parsed;
  }
  const parser = new StrictJsonParser(text, options);
  const value = parser.parseDocument();
  return { value, depth: parser.deepest };
}

class StrictJsonParser<Node> {
  private pos = 0;
  /** Deepest nesting seen so far. */
  deepest = 0;
  private readonly path: (string | number)[] = [];
  private readonly guide: StrictJsonGuide<Node> | undefined;

  constructor(
    private readonly text: string,
    private readonly options: StrictJsonOptions<Node>,
  ) {
    this.guide = options.guide;
  }

  parseDocument(): JsonValue {
    if (this.text.charCodeAt(0) === 0xfeff) {
      this.fail("NG_ERR_TEMPLATE_PARSE", "starts with a byte order mark (U+FEFF); save the file as UTF-8 without BOM");
    }
    this.skipWhitespace();
    const value = this.parseValue(0, this.guide?.root);
    this.skipWhitespace();
    if (this.pos < this.text.length) this.fail("NG_ERR_TEMPLATE_PARSE", `${this.describeHere()} after the JSON value`);
    return value;
  }

  /** `node` is the guide's node of this value (undefined without a guide). */
  private parseValue(depth: number, node: Node | undefined): JsonValue {
    const code = this.text.charCodeAt(this.pos);
    switch (code) {
      case 0x7b /* { */:
        return this.parseObject(depth + 1, node);
      case 0x5b /* [ */:
        return this.parseArray(depth + 1, node);
      case 0x22 /* " */:
        return this.parseString();
      case 0x74 /* t */:
        return this.parseLiteral("true", true);
      case 0x66 /* f */:
        return this.parseLiteral("false", false);
      case 0x6e /* n */:
        return this.parseLiteral("null", null);
      default:
        if (code === 0x2d || (code >= 0x30 && code <= 0x39)) return this.parseNumber();
        return this.fail("NG_ERR_TEMPLATE_PARSE", `${this.describeHere()}, expected a JSON value`);
    }
  }

  private parseObject(depth: number, node: Node | undefined): { [key: string]: JsonValue } {
    this.checkDepth(depth);
    this.pos++;
    const result: { [key: string]: JsonValue } = {};
    this.skipWhitespace();
    if (this.text.charCodeAt(this.pos) === 0x7d) {
      this.pos++;
      return result;
    }
    for (let index = 0; ; index++) {
      if (this.text.charCodeAt(this.pos) !== 0x22) {
        this.fail("NG_ERR_TEMPLATE_PARSE", `${this.describeHere()}, expected a string key`);
      }
      const keyStart = this.pos;
      const key = this.parseString();
      this.path.push(key);
      if (FORBIDDEN_KEYS.has(key)) {
        this.fail("NG_ERR_TEMPLATE_FORBIDDEN_KEY", `forbidden key "${key}" at ${formatPointer(this.path)}`, keyStart);
      }
      if (Object.hasOwn(result, key)) {
        this.fail("NG_ERR_TEMPLATE_DUPLICATE_KEY", `duplicate key "${key}" at ${formatPointer(this.path)}`, keyStart);
      }
      this.skipWhitespace();
      if (this.text.charCodeAt(this.pos) !== 0x3a)
        this.fail("NG_ERR_TEMPLATE_PARSE", `${this.describeHere()}, expected ':'`);
      this.pos++;
      this.skipWhitespace();
      // A guide exists only with a root node, so `node` is one of its nodes here.
      const child = this.guide === undefined ? undefined : this.guide.member(node as Node, key, index, this.path);
      result[key] = this.parseValue(depth, child);
      this.path.pop();
      this.skipWhitespace();
      const next = this.text.charCodeAt(this.pos);
      if (next === 0x7d) {
        this.pos++;
        return result;
      }
      if (next !== 0x2c) this.fail("NG_ERR_TEMPLATE_PARSE", `${this.describeHere()}, expected ',' or '}'`);
      this.pos++;
      this.skipWhitespace();
    }
  }

  private parseArray(depth: number, node: Node | undefined): JsonValue[] {
    this.checkDepth(depth);
    this.pos++;
    const result: JsonValue[] = [];
    this.skipWhitespace();
    if (this.text.charCodeAt(this.pos) === 0x5d) {
      this.pos++;
      return result;
    }
    for (let index = 0; ; index++) {
      this.path.push(index);
      const child = this.guide === undefined ? undefined : this.guide.item(node as Node, index, this.path);
      result.push(this.parseValue(depth, child));
      this.path.pop();
      this.skipWhitespace();
      const next = this.text.charCodeAt(this.pos);
      if (next === 0x5d) {
        this.pos++;
        return result;
      }
      if (next !== 0x2c) this.fail("NG_ERR_TEMPLATE_PARSE", `${this.describeHere()}, expected ',' or ']'`);
      this.pos++;
      this.skipWhitespace();
    }
  }

  private parseString(): string {
    const text = this.text;
    let start = ++this.pos;
    // Fast path: most strings have no escapes, controls or surrogates up to the closing quote.
    const quote = text.indexOf('"', start);
    if (quote !== -1) {
      const candidate = text.slice(start, quote);
      if (!STRING_SPECIAL.test(candidate)) {
        this.pos = quote + 1;
        return candidate;
      }
    }
    let value = "";
    for (;;) {
      const code = text.charCodeAt(this.pos);
      if (code === 0x22) {
        value += text.slice(start, this.pos);
        this.pos++;
        return value;
      }
      if (code === 0x5c) {
        value += text.slice(start, this.pos);
        value += this.parseEscape();
        start = this.pos;
        continue;
      }
      if (this.pos >= text.length) this.fail("NG_ERR_TEMPLATE_PARSE", "unterminated string");
      if (code < 0x20) {
        this.fail("NG_ERR_TEMPLATE_PARSE", `unescaped control character U+${hex4(code)} in a string`);
      }
      if (code >= 0xd800 && code <= 0xdfff) {
        const low = text.charCodeAt(this.pos + 1);
        if (code > 0xdbff || !(low >= 0xdc00 && low <= 0xdfff)) {
          this.fail("NG_ERR_TEMPLATE_PARSE", `lone surrogate U+${hex4(code)} in a string`);
        }
        this.pos++;
      }
      this.pos++;
    }
  }

  /** Reads one escape sequence (the backslash is at `pos`) and returns its text. */
  private parseEscape(): string {
    const escapeStart = this.pos;
    const code = this.text.charCodeAt(this.pos + 1);
    this.pos += 2;
    switch (code) {
      case 0x22:
        return '"';
      case 0x5c:
        return "\\";
      case 0x2f:
        return "/";
      case 0x62:
        return "\b";
      case 0x66:
        return "\f";
      case 0x6e:
        return "\n";
      case 0x72:
        return "\r";
      case 0x74:
        return "\t";
      case 0x75: {
        const unit = this.readHex4(escapeStart);
        if (unit >= 0xdc00 && unit <= 0xdfff) {
          this.fail("NG_ERR_TEMPLATE_PARSE", `lone surrogate \\u${hex4(unit)} in a string`, escapeStart);
        }
        if (unit >= 0xd800 && unit <= 0xdbff) {
          const lowStart = this.pos;
          if (this.text.charCodeAt(this.pos) !== 0x5c || this.text.charCodeAt(this.pos + 1) !== 0x75) {
            this.fail("NG_ERR_TEMPLATE_PARSE", `lone surrogate \\u${hex4(unit)} in a string`, escapeStart);
          }
          this.pos += 2;
          const low = this.readHex4(lowStart);
          if (low < 0xdc00 || low > 0xdfff) {
            this.fail("NG_ERR_TEMPLATE_PARSE", `lone surrogate \\u${hex4(unit)} in a string`, escapeStart);
          }
          return String.fromCharCode(unit, low);
        }
        return String.fromCharCode(unit);
      }
      default:
        return this.fail("NG_ERR_TEMPLATE_PARSE", "invalid escape sequence in a string", escapeStart);
    }
  }

  private readHex4(escapeStart: number): number {
    let unit = 0;
    for (let index = 0; index < 4; index++) {
      const code = this.text.charCodeAt(this.pos + index);
      const digit =
        code >= 0x30 && code <= 0x39
          ? code - 0x30
          : code >= 0x61 && code <= 0x66
            ? code - 0x57
            : code >= 0x41 && code <= 0x46
              ? code - 0x37
              : -1;
      if (digit < 0) this.fail("NG_ERR_TEMPLATE_PARSE", "invalid \\u escape: expected 4 hex digits", escapeStart);
      unit = unit * 16 + digit;
    }
    this.pos += 4;
    return unit;
  }

  private parseNumber(): number {
    const text = this.text;
    const start = this.pos;
    if (text.charCodeAt(this.pos) === 0x2d) this.pos++;
    const first = text.charCodeAt(this.pos);
    if (first === 0x30) {
      this.pos++;
    } else if (first >= 0x31 && first <= 0x39) {
      this.skipDigits();
    } else {
      this.fail("NG_ERR_TEMPLATE_PARSE", "invalid number: expected a digit");
    }
    if (text.charCodeAt(this.pos) === 0x2e) {
      this.pos++;
      if (!isDigit(text.charCodeAt(this.pos)))
        this.fail("NG_ERR_TEMPLATE_PARSE", "invalid number: expected a digit after '.'");
      this.skipDigits();
    }
    const exponent = text.charCodeAt(this.pos);
    if (exponent === 0x65 || exponent === 0x45) {
      this.pos++;
      const sign = text.charCodeAt(this.pos);
      if (sign === 0x2b || sign === 0x2d) this.pos++;
      if (!isDigit(text.charCodeAt(this.pos)))
        this.fail("NG_ERR_TEMPLATE_PARSE", "invalid number: expected an exponent");
      this.skipDigits();
    }
    const value = Number(text.slice(start, this.pos));
    if (!Number.isFinite(value))
      this.fail("NG_ERR_TEMPLATE_PARSE", "number is outside the IEEE 754 double range", start);
    return value;
  }

  private skipDigits(): void {
    while (isDigit(this.text.charCodeAt(this.pos))) this.pos++;
  }

  private parseLiteral<T extends JsonValue>(word: string, value: T): T {
    if (!this.text.startsWith(word, this.pos))
      this.fail("NG_ERR_TEMPLATE_PARSE", `${this.describeHere()}, expected a JSON value`);
    this.pos += word.length;
    return value;
  }

  private skipWhitespace(): void {
    const text = this.text;
    for (;;) {
      const code = text.charCodeAt(this.pos);
      if (code !== 0x20 && code !== 0x0a && code !== 0x0d && code !== 0x09) return;
      this.pos++;
    }
  }

  private checkDepth(depth: number): void {
    if (depth > this.deepest) this.deepest = depth;
    if (depth > this.options.maxDepth) {
      this.fail(
        "NG_ERR_TEMPLATE_TOO_DEEP",
        `objects and arrays nest deeper than ${this.options.maxDepth} levels at ${formatPointer(this.path)}`,
      );
    }
  }

  private describeHere(): string {
    if (this.pos >= this.text.length) return "unexpected end of input";
    const char = this.text.codePointAt(this.pos) ?? 0;
    const shown = char < 0x20 || char === 0x7f ? `U+${hex4(char)}` : `'${String.fromCodePoint(char)}'`;
    return `unexpected ${shown}`;
  }

  private fail(code: TemplateParseErrorCode, message: string, at: number = this.pos): never {
    const { line, column } = lineAndColumn(this.text, at);
    const pointer = code === "NG_ERR_TEMPLATE_PARSE" ? undefined : formatPointer(this.path);
    throw new TemplateParseError(code, message, { location: this.options.location, line, column, pointer });
  }
}

/** 1-based line and column (in UTF-16 code units) of offset `at`. */
export function lineAndColumn(text: string, at: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  const end = Math.min(at, text.length);
  for (let index = 0; index < end; index++) {
    if (text.charCodeAt(index) === 0x0a) {
      line++;
      lineStart = index + 1;
    }
  }
  return { line, column: end - lineStart + 1 };
}

function isDigit(code: number): boolean {
  return code >= 0x30 && code <= 0x39;
}

function hex4(code: number): string {
  return code.toString(16).toUpperCase().padStart(4, "0");
}
