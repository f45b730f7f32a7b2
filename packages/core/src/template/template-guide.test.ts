import { describe, expect, test } from "vitest";
import { TemplateParseError } from "../errors/template-parse-error.js";
import { TemplateValidationError } from "../errors/template-validation-error.js";
import { NATIVE_PARSE_MAX_LENGTH } from "./native-parse.js";
import { DEFAULT_TEMPLATE_MAX_BYTES, parseTemplate } from "./parse-template.js";
import { MAX_LISTED_ISSUES } from "./unknown-key.js";

const root = { schemaVersion: 1, id: "qa/tester", version: "1.0.0", name: "Tester", role: "specialist" };

function refusal(text: string): TemplateValidationError {
  try {
    parseTemplate(text, { location: "hostile.json" });
  } catch (error) {
    if (error instanceof TemplateValidationError) return error;
    throw error;
  }
  throw new Error("expected parseTemplate to refuse the template");
}

/** Members `make(index)` up to just under the size limit, as JSON text of one object. */
function membersUpToLimit(budget: number, make: (index: number) => string): string {
  const members: string[] = [];
  let size = 0;
  for (let index = 0; ; index++) {
    const member = make(index);
    if (size + member.length + 1 > budget) break;
    members.push(member);
    size += member.length + 1;
  }
  return members.join(",");
}

describe("parseTemplate stops reading a template the schema refuses for its size", () => {
  test("at the 101st unknown key: the first 100 are listed with suggestions, then where it stopped", () => {
    const keys = Array.from({ length: 5_000 }, (_, index) => `"capabilitie${index}":0`).join(",");
    // The syntax error after the keys is never reached: the parse stopped before it.
    const error = refusal(`{"schemaVersion":1,"id":"qa/tester","version":"1.0.0",${keys},}`);
    expect(error.code).toBe("NG_ERR_TEMPLATE_INVALID");
    expect(error.issues).toHaveLength(MAX_LISTED_ISSUES + 1);
    expect(error.issues[0]).toMatchObject({ pointer: "/capabilitie0", suggestion: "capabilities" });
    expect(error.issues.at(-1)).toMatchObject({
      pointer: "",
      keyword: "additionalProperties",
      message: `has more than ${MAX_LISTED_ISSUES} unknown properties; the rest of the template was not read`,
    });
    expect(error.message).toContain("hostile.json");
  });

  test("unknown keys are counted across nested objects, with their pointers", () => {
    const config = Array.from({ length: 60 }, (_, index) => `"temperatur${index}":1`).join(",");
    const metadata = Array.from({ length: 60 }, (_, index) => `"owners${index}":1`).join(",");
    // Over NATIVE_PARSE_MAX_LENGTH, so the strict parser and its guide read it.
    const long = JSON.stringify({ ...root, instructions: "x".repeat(NATIVE_PARSE_MAX_LENGTH) });
    const error = refusal(long.replace(/}$/, `,"config":{${config}},"metadata":{${metadata}}}`));
    expect(error.issues).toHaveLength(MAX_LISTED_ISSUES + 1);
    expect(error.issues[0]).toMatchObject({ pointer: "/config/temperatur0", suggestion: "temperature" });
    expect(error.issues[60]).toMatchObject({ pointer: "/metadata/owners0" });
    expect(error.issues.at(-1)).toMatchObject({
      pointer: "/metadata",
      keyword: "additionalProperties",
      message: expect.stringContaining("the rest of the template was not read"),
    });
  });

  test("at the item past an array's maxItems, without reading the rest", () => {
    const items = Array.from({ length: 300 }, (_, index) => `"tool-${index}"`).join(",");
    const error = refusal(JSON.stringify(root).replace(/}$/, `,"tools":[${items}] trailing`));
    expect(error.issues).toEqual([
      {
        pointer: "/tools",
        keyword: "maxItems",
        message: "must have at most 256 items; the rest of the template was not read",
        expected: "at most 256 items",
        actual: "more than 256 items",
      },
    ]);
  });

  test("at the member past a record's maxProperties", () => {
    const pins = Array.from({ length: 257 }, (_, index) => `"tool-${index}":"sha256:${"0".repeat(64)}"`).join(",");
    const error = refusal(JSON.stringify(root).replace(/}$/, `,"toolPins":{${pins}}}`));
    expect(error.issues).toEqual([
      {
        pointer: "/toolPins",
        keyword: "maxProperties",
        message: "must have at most 256 properties; the rest of the template was not read",
        actual: "more than 256 properties",
      },
    ]);
  });

  test("a duplicate or forbidden key is still refused as such, before the schema is asked", () => {
    expect(() => parseTemplate('{"schemaVersion":1,"nope":1,"nope":2}')).toThrowError(
      expect.objectContaining({ code: "NG_ERR_TEMPLATE_DUPLICATE_KEY" }),
    );
    expect(() => parseTemplate('{"schemaVersion":1,"__proto__":{}}')).toThrow(TemplateParseError);
  });

  test("below the counts nothing changes: every problem is reported, the syntax is checked to the end", () => {
    const error = refusal(JSON.stringify({ ...root, capabilites: [], config: { temprature: 1 }, tools: ["x"] }));
    expect(error.issues.map((issue) => issue.suggestion)).toEqual(["capabilities", "temperature"]);
    expect(() => parseTemplate(`${JSON.stringify({ ...root, capabilites: [] })} x`)).toThrow(TemplateParseError);
  });
});

describe("parseTemplate stops reading an output schema of unsupported keywords", () => {
  test("at the 101st unsupported keyword, nested under properties and anyOf too", () => {
    const keywords = membersUpToLimit(DEFAULT_TEMPLATE_MAX_BYTES - 400, (index) => `"k${index}":0`);
    const output = `{"type":"object","properties":{"a":{"anyOf":[{"type":"string",${keywords}}]}}}`;
    // The syntax error at the end is never reached: the parse stopped before it.
    const error = refusal(`{"schemaVersion":1,"id":"qa/tester","version":"1.0.0","output":${output},}`);
    expect(error.code).toBe("NG_ERR_TEMPLATE_INVALID");
    expect(error.issues).toHaveLength(MAX_LISTED_ISSUES + 1);
    expect(error.issues[0]).toMatchObject({ pointer: "/output/properties/a/anyOf/0/k0", keyword: "keyword" });
    expect(error.issues[0]?.message).toContain('unsupported JSON Schema keyword "k0"');
    expect(error.issues.at(-1)).toMatchObject({
      pointer: "/output/properties/a/anyOf/0",
      message: `has more than ${MAX_LISTED_ISSUES} unsupported JSON Schema keywords; the rest of the template was not read`,
    });
  });

  test("property names, enum, const and default values are not keywords: a valid schema of many of them parses", () => {
    const names = Array.from(
      { length: 3_000 },
      (_, index) => `"p${index}":{"type":"string","default":{"x${index}":1}}`,
    );
    const output = `{"type":"object","properties":{${names.join(",")}},"enum":[{"a":1}],"$defs":{"d":{"const":{"b":2}}}}`;
    const text = `{"schemaVersion":1,"id":"qa/tester","version":"1.0.0","output":${output}}`;
    expect(text.length).toBeGreaterThan(NATIVE_PARSE_MAX_LENGTH);
    expect(parseTemplate(text).output).toMatchObject({ type: "object" });
  });
});

describe("parseTemplate accepts a valid template at the size limit with many free-form keys", () => {
  test("an output schema with thousands of properties (keys the schema leaves free)", () => {
    const prefix = JSON.stringify({ ...root, output: { type: "object", properties: {} } });
    const properties = membersUpToLimit(DEFAULT_TEMPLATE_MAX_BYTES - prefix.length - 16, (index) => {
      return `"p${index.toString(36)}":{"type":"string"}`;
    });
    const text = prefix.replace('"properties":{}', `"properties":{${properties}}`);
    expect(Buffer.byteLength(text)).toBeGreaterThan(DEFAULT_TEMPLATE_MAX_BYTES - 64);
    const template = parseTemplate(text);
    expect(Object.keys((template.output as { properties: object }).properties).length).toBeGreaterThan(5_000);
  });

  test("an output schema's default value with tens of thousands of keys", () => {
    const prefix = JSON.stringify({ ...root, output: { default: {} } });
    const members = membersUpToLimit(DEFAULT_TEMPLATE_MAX_BYTES - prefix.length - 16, (index) => {
      return `"k${index.toString(36)}":0`;
    });
    const template = parseTemplate(prefix.replace('"default":{}', `"default":{${members}}`));
    expect(Object.keys((template.output as { default: object }).default).length).toBeGreaterThan(20_000);
  });
});
