import fc from "fast-check";
import { describe, expect, test } from "vitest";
import { TemplateParseError } from "../errors/template-parse-error.js";
import { NATIVE_PARSE_MAX_LENGTH, parseNatively } from "./native-parse.js";
import { parseStrictJson, parseStrictJsonWithDepth } from "./strict-json.js";

describe("parseNatively: the JSON.parse result, only when the strict parser would give the same", () => {
  test.each([
    ['{"a":1,"b":[true,false,null,-0.5e3],"c":{"d":"x"}}'],
    ['{"colon:":"a:b","key:with:colons":":","emoji":"😂"}'],
    ["[[[[1]]]]"],
    ['"just a string"'],
    ["  42  "],
  ])("accepts %s", (text) => {
    expect(parseNatively(text, 32)?.value).toEqual(JSON.parse(text));
  });

  test.each([
    ['{"a":1,"a":2}', "a duplicate key"],
    ['{"a":1,"\\u0061":2}', "a duplicate key written with an escape"],
    ['{"x":[{"k":{"a:":"b","a:":"c"}}]}', "a nested duplicate key with a colon in it"],
    ['{"a":"x\\":","a":1}', "a duplicate key after an escaped quote and a colon"],
    ['{"__proto__":{}}', "__proto__"],
    ['[{"constructor":1}]', "constructor in an array"],
    ['{"a":{"prototype":1}}', "prototype nested"],
    ['["\\ud800"]', "an escaped lone surrogate"],
    ['{"\\udc00":1}', "a lone surrogate in a key"],
    ['["\ud800"]', "a raw lone surrogate"],
    ["[1e400]", "a number beyond the double range"],
    ["[-1e400]", "a negative number beyond the double range"],
    ["\ufeff{}", "a byte order mark"],
    ['{"a":1,}', "a trailing comma"],
  ])("leaves %s to the strict parser (%s)", (text) => {
    expect(parseNatively(text, 32)).toBeUndefined();
    expect(() => parseStrictJson(text, { maxDepth: 32 })).toThrow(TemplateParseError);
  });

  test("nesting: accepted at maxDepth, left to the strict parser past it", () => {
    const nested = (depth: number): string => `${"[".repeat(depth)}${"]".repeat(depth)}`;
    expect(parseNatively(nested(3), 3)).toEqual({ value: [[[]]], depth: 3 });
    expect(parseNatively(nested(4), 3)).toBeUndefined();
    expect(() => parseStrictJson(nested(4), { maxDepth: 3 })).toThrowError(
      expect.objectContaining({ code: "NG_ERR_TEMPLATE_TOO_DEEP" }),
    );
  });

  test("the depth is the strict parser's: 0 for a scalar, 1 for a flat object", () => {
    for (const text of ["1", '{"a":1}', '{"a":[{"b":[]}]}', "[[],[[{}]]]"]) {
      expect(parseNatively(text, 32)).toEqual(
        parseStrictJsonWithDepth(`${text} `.padEnd(NATIVE_PARSE_MAX_LENGTH + 1), { maxDepth: 32 }),
      );
    }
  });

  test("parseStrictJson refuses a short text with the strict parser's code, line and column", () => {
    expect(() => parseStrictJson('{\n  "a": 1,\n  "a": 2\n}', { maxDepth: 32 })).toThrowError(
      expect.objectContaining({ code: "NG_ERR_TEMPLATE_DUPLICATE_KEY", line: 3, column: 3, pointer: "/a" }),
    );
  });
});

describe("parseNatively and escapes", () => {
  test.each([
    ['{"text":"line\\nline"}'],
    ['{"colon:":"a:b","quote\\"":"\\"","slashes\\\\":"\\\\","end\\\\\\"":":"}'],
    ['{"emoji":"😂 \\ud83d\\ude02","escaped\\u003a":"\\u0022:"}'],
  ])("leaves %s, which has an escape, to the strict parser (Node 24's JSON.parse misread one)", (text) => {
    expect(parseNatively(text, 32)).toBeUndefined();
    expect(parseStrictJson(text, { maxDepth: 32 })).toBeDefined();
  });

  test("reads a text without escapes", () => {
    expect(parseNatively('{"text":"line line"}', 32)).toEqual({ value: { text: "line line" }, depth: 1 });
  });
});

describe("parseNatively against the strict parser on generated texts", () => {
  // Few distinct keys, some equal once unescaped, with colons, quotes and backslashes in them,
  // so duplicates, forbidden keys and tricky strings come up often.
  const key = fc.constantFrom(
    '"a"',
    '"\\u0061"',
    '"b"',
    '"a:"',
    '"\\":"',
    '"\\\\"',
    '"x\\\\\\""',
    '"__proto__"',
    '"constructor"',
    '"\\ud800"',
    '"😂"',
  );
  const scalar = fc.constantFrom("1", "-0", "1e400", "0.5", "true", "null", '"s:t"', '"\\udc00"', '"\\ud83d\\ude02"');
  const space = fc.constantFrom("", " ", "\n  ");
  const { value } = fc.letrec<{ value: string }>((tie) => ({
    value: fc.oneof(
      { depthSize: "small", withCrossShrink: true },
      scalar,
      fc.array(tie("value"), { maxLength: 4 }).map((items) => `[${items.join(",")}]`),
      fc
        .array(fc.tuple(space, key, space, tie("value")), { maxLength: 4 })
        .map(
          (members) =>
            `{${members.map(([before, name, after, item]) => `${before}${name}:${after}${item}`).join(",")}}`,
        ),
    ),
  }));

  test("what it returns is exactly what the strict parser returns, and it returns whatever that accepts without escapes", () => {
    fc.assert(
      fc.property(value, fc.integer({ min: 1, max: 5 }), (text, maxDepth) => {
        // Padding past NATIVE_PARSE_MAX_LENGTH makes parseStrictJsonWithDepth use the strict parser.
        const padded = `${text} `.padEnd(NATIVE_PARSE_MAX_LENGTH + 1);
        let strict: { value: unknown; depth: number } | undefined;
        try {
          strict = parseStrictJsonWithDepth(padded, { maxDepth });
        } catch (error) {
          if (!(error instanceof TemplateParseError)) throw error;
        }
        // A text with an escape is always the strict parser's (see parseNatively).
        expect(parseNatively(text, maxDepth)).toEqual(text.includes("\\") ? undefined : strict);
      }),
      { numRuns: 2_000 },
    );
  });
});
