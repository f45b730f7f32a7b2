import { describe, expect, it } from "vitest";
import { NextGenError } from "../errors/next-gen-error.js";
import { OptionsError } from "../errors/options-error.js";
import { TemplateParseError } from "../errors/template-parse-error.js";
import { TemplateValidationError } from "../errors/template-validation-error.js";
import { parseTemplate } from "./parse-template.js";

const minimal = '{"schemaVersion":1,"id":"qa/tester","version":"1.0.0"}';

function parseError(input: string | Uint8Array, options?: Parameters<typeof parseTemplate>[1]): TemplateParseError {
  try {
    parseTemplate(input, options);
  } catch (error) {
    if (error instanceof TemplateParseError) return error;
    throw error;
  }
  throw new Error("expected parseTemplate to throw");
}

describe("parseTemplate: accepts", () => {
  it("a valid template from text or bytes, with the same result", () => {
    const text = JSON.stringify({
      schemaVersion: 1,
      id: "security/auditor",
      version: "1.2.0-rc.1+build.5",
      extends: "base/specialist",
      name: "Security Auditor",
      capabilities: ["vulnerability-scan"],
      config: { temperature: 0.2, timeoutMs: 300000, maxRetries: 3 },
      metadata: { tier: "critical", tags: ["audit"] },
    });
    const fromText = parseTemplate(text);
    expect(fromText.id).toBe("security/auditor");
    expect(parseTemplate(new TextEncoder().encode(text))).toEqual(fromText);
  });

  it("escapes, surrogate pairs and exponents", () => {
    const template = parseTemplate(
      '{"schemaVersion":1e0,"id":"qa/tester","version":"1.0.0","name":"\\ud83d\\ude02 \\u00e9\\n\\"","config":{"temperature":2E-1}}',
    );
    expect(template.name).toBe('😂 é\n"');
    expect(template.config?.temperature).toBe(0.2);
  });
});

describe("parseTemplate: refusals", () => {
  it.each([
    ["trailing comma", '{"schemaVersion":1,}', 1, 20],
    ["single quotes", "{'a':1}", 1, 2],
    ["leading zero", '{"a":01}', 1, 7],
    ["bare NaN", '{"a":NaN}', 1, 6],
    ["trailing garbage", `${minimal} x`, 1, 56],
    ["unterminated string", '{\n  "a": "b', 2, 10],
    ["raw control character", '{"a":"\t"}', 1, 7],
    ["lone surrogate escape", '{"a":"\\ud800x"}', 1, 7],
    ["comment", '{"a":1 // no\n}', 1, 8],
    ["byte order mark", `\uFEFF${minimal}`, 1, 1],
    ["huge number", '{"a":1e400}', 1, 6],
    ["empty input", "", 1, 1],
  ])("%s → NG_ERR_TEMPLATE_PARSE with line:column", (_label, text, line, column) => {
    const error = parseError(text, { location: "qa/tester.json" });
    expect(error.code).toBe("NG_ERR_TEMPLATE_PARSE");
    expect([error.line, error.column]).toEqual([line, column]);
    expect(error.message.startsWith(`qa/tester.json:${line}:${column}: `)).toBe(true);
  });

  it("invalid UTF-8 bytes → NG_ERR_TEMPLATE_PARSE at the bad byte", () => {
    const bytes = new TextEncoder().encode('{\n  "name": "caf\u00e9 X"}');
    bytes[bytes.indexOf(0x58)] = 0xff;
    const error = parseError(bytes);
    expect(error.code).toBe("NG_ERR_TEMPLATE_PARSE");
    expect(error.message).toContain("invalid UTF-8 at byte 19");
    expect([error.line, error.column]).toEqual([2, 17]);
  });

  it("an overlong UTF-8 encoding is refused too", () => {
    const bytes = Uint8Array.from([0x7b, 0x22, 0xc0, 0xaf, 0x22, 0x3a, 0x31, 0x7d]);
    expect(parseError(bytes).code).toBe("NG_ERR_TEMPLATE_PARSE");
  });

  it("over 256 KiB → NG_ERR_TEMPLATE_TOO_LARGE before parsing", () => {
    const padding = " ".repeat(262_144);
    expect(parseError(`${minimal}${padding}`).code).toBe("NG_ERR_TEMPLATE_TOO_LARGE");
    expect(parseError(new Uint8Array(262_145).fill(0x7b)).code).toBe("NG_ERR_TEMPLATE_TOO_LARGE"); // not valid JSON: size wins
    // 100,000 "é" are 100,000 UTF-16 units but 200,000 bytes.
    expect(parseError(`"${"é".repeat(100_000)}"`, { maxBytes: 150_000 }).code).toBe("NG_ERR_TEMPLATE_TOO_LARGE");
    expect(parseTemplate(minimal, { maxBytes: minimal.length }).id).toBe("qa/tester");
  });

  it("nesting deeper than 32 → NG_ERR_TEMPLATE_TOO_DEEP; 32 levels are fine for the parser", () => {
    const nest = (levels: number): string => `${"[".repeat(levels - 1)}0${"]".repeat(levels - 1)}`;
    const at = (levels: number): string => minimal.replace("}", `,"metadata":{"tags":${nest(levels - 1)}}}`);
    expect(parseError(at(33)).code).toBe("NG_ERR_TEMPLATE_TOO_DEEP");
    // 32 levels parse; the schema then refuses nested tags, which shows the depth passed.
    expect(() => parseTemplate(at(32))).toThrow(TemplateValidationError);
    expect(parseError(at(5), { maxDepth: 4 }).code).toBe("NG_ERR_TEMPLATE_TOO_DEEP");
  });

  it("duplicate keys → NG_ERR_TEMPLATE_DUPLICATE_KEY with the pointer, top level and nested", () => {
    const top = parseError('{"schemaVersion":1,"id":"a/b","id":"c/d","version":"1.0.0"}');
    expect([top.code, top.pointer]).toEqual(["NG_ERR_TEMPLATE_DUPLICATE_KEY", "/id"]);
    const nested = parseError(`${minimal.slice(0, -1)},"config":{"model":"a","model":"b"}}`);
    expect([nested.code, nested.pointer]).toEqual(["NG_ERR_TEMPLATE_DUPLICATE_KEY", "/config/model"]);
    // Escapes that decode to the same key are the same key.
    expect(parseError('{"a":1,"\\u0061":2}').code).toBe("NG_ERR_TEMPLATE_DUPLICATE_KEY");
    const escaped = parseError('{"x":[{"a/b":1,"a\\/b":2}]}');
    expect(escaped.pointer).toBe("/x/0/a~1b");
  });

  it.each(["__proto__", "constructor", "prototype"])("key %s anywhere → NG_ERR_TEMPLATE_FORBIDDEN_KEY", (key) => {
    const top = parseError(`{"${key}":{"polluted":true}}`);
    expect([top.code, top.pointer]).toEqual(["NG_ERR_TEMPLATE_FORBIDDEN_KEY", `/${key}`]);
    const nested = parseError(`${minimal.slice(0, -1)},"metadata":{"tags":[],"x":[{"${key}":1}]}}`);
    expect([nested.code, nested.pointer]).toEqual(["NG_ERR_TEMPLATE_FORBIDDEN_KEY", `/metadata/x/0/${key}`]);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it("a raw lone surrogate in string input is refused (it has no UTF-8 or canonical form)", () => {
    const error = parseError(`{"a":"x\uD800y"}`);
    expect([error.code, error.name, error.line, error.column]).toEqual([
      "NG_ERR_TEMPLATE_PARSE",
      "TemplateParseError",
      1,
      8,
    ]);
  });

  it("an escaped __proto__ key is refused as well", () => {
    expect(parseError('{"\\u005f_proto__":{}}').code).toBe("NG_ERR_TEMPLATE_FORBIDDEN_KEY");
  });

  it("input that is neither text nor bytes → NG_ERR_TEMPLATE_PARSE, not a TypeError", () => {
    for (const input of [42, null, undefined, { id: "a/b" }]) {
      expect(() => parseTemplate(input as never, { location: "x.json" })).toThrow(
        expect.objectContaining({ code: "NG_ERR_TEMPLATE_PARSE", location: "x.json" }),
      );
    }
  });

  it("invalid options → OptionsError naming the option", () => {
    expect(() => parseTemplate(minimal, { maxBytes: 0 })).toThrow(OptionsError);
    expect(() => parseTemplate(minimal, { maxDepth: 1.5 })).toThrow(/options\.maxDepth/);
  });
});

describe("parseTemplate: validation", () => {
  it("reports three distinct problems in one error, each with its pointer", () => {
    const text = JSON.stringify({
      schemaVersion: 1,
      id: "Security/Auditor",
      version: "1.0.0",
      capabilites: ["scan"],
      config: { temperature: 3 },
    });
    let caught: unknown;
    try {
      parseTemplate(text, { location: "security/auditor.json" });
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(TemplateValidationError);
    const error = caught as TemplateValidationError;
    expect(NextGenError.is(error, "NG_ERR_TEMPLATE_INVALID")).toBe(true);
    expect(error.issues.map((issue) => [issue.pointer, issue.keyword])).toEqual([
      ["/id", "pattern"],
      ["/capabilites", "additionalProperties"],
      ["/config/temperature", "maximum"],
    ]);
    expect(error.issues[1]?.suggestion).toBe("capabilities");
    expect(error.message).toContain("security/auditor.json is invalid, 3 problems");
    expect(error.message).toContain('/capabilites: unknown property "capabilites" (did you mean "capabilities"?)');
    expect(error.message).toContain("/config/temperature: must be ≤ 2, got 3");
    expect(Object.isFrozen(error.issues)).toBe(true);
  });
});
