import { existsSync, readdirSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { NextGenError } from "../errors/next-gen-error.js";
import { parseStrictJson } from "../template/strict-json.js";
import { canonicalize } from "./canonicalize.js";

const vectorsDir = fileURLToPath(new URL("../../test/vectors/jcs/", import.meta.url));
const sharedVectorsDir = fileURLToPath(new URL("../../../../../shared/vectors/jcs/", import.meta.url));
const names = readdirSync(`${vectorsDir}input`)
  .filter((file) => file.endsWith(".json"))
  .map((file) => file.slice(0, -".json".length));
const decoder = new TextDecoder();

function fromHex(text: string): Uint8Array {
  return Uint8Array.from(text.trim().split(/\s+/), (pair) => Number.parseInt(pair, 16));
}

describe("canonicalize: RFC 8785 vectors", () => {
  it("has the six reference vectors", () => {
    expect(names.sort()).toEqual(["arrays", "french", "structures", "unicode", "values", "weird"]);
  });

  it.each(names)("%s: input canonicalizes to output byte for byte (strict parser and JSON.parse)", (name) => {
    const input = readFileSync(`${vectorsDir}input/${name}.json`, "utf8");
    const expected = new Uint8Array(readFileSync(`${vectorsDir}output/${name}.json`));
    expect(canonicalize(parseStrictJson(input, { maxDepth: 32 }))).toEqual(expected);
    expect(canonicalize(JSON.parse(input))).toEqual(expected);
    expect(fromHex(readFileSync(`${vectorsDir}outhex/${name}.txt`, "utf8"))).toEqual(expected);
  });

  it.skipIf(!existsSync(sharedVectorsDir))("the copy in test/vectors/jcs equals ../shared/vectors/jcs", () => {
    for (const folder of ["input", "output", "outhex"]) {
      const shared = readdirSync(`${sharedVectorsDir}${folder}`).sort();
      expect(readdirSync(`${vectorsDir}${folder}`).sort()).toEqual(shared);
      for (const file of shared) {
        expect(readFileSync(`${vectorsDir}${folder}/${file}`)).toEqual(
          readFileSync(`${sharedVectorsDir}${folder}/${file}`),
        );
      }
    }
  });
});

describe("canonicalize: values", () => {
  const text = (value: unknown): string => decoder.decode(canonicalize(value));

  it("sorts keys by UTF-16 code units, not code points or locale", () => {
    // U+1F602 is the units D83D DE02, so it sorts before U+FB33 in UTF-16 though after it by code point.
    expect(text({ "\uFB33": 2, "\u{1F602}": 1, a: 3, B: 4 })).toBe('{"B":4,"a":3,"\u{1F602}":1,"\uFB33":2}');
  });

  it("prints numbers as ECMAScript does", () => {
    expect(text([-0, 1e21, 1e-7, 0.1, 100, 5e-324, 1.7976931348623157e308])).toBe(
      "[0,1e+21,1e-7,0.1,100,5e-324,1.7976931348623157e+308]",
    );
  });

  it("escapes only what JCS escapes", () => {
    expect(text('\u0000\u001f\b\t\n\f\r"\\/\u007f\u2028é')).toBe(
      '"\\u0000\\u001f\\b\\t\\n\\f\\r\\"\\\\/\u007f\u2028é"',
    );
  });

  it("accepts null-prototype objects and shared (non-cyclic) references", () => {
    const shared = { x: 1 };
    const bare = Object.assign(Object.create(null) as object, { b: shared, a: shared });
    expect(text(bare)).toBe('{"a":{"x":1},"b":{"x":1}}');
  });

  const refusals: [string, unknown, string][] = [
    ["NaN", { a: Number.NaN }, "/a"],
    ["Infinity", [1, Number.POSITIVE_INFINITY], "/1"],
    ["undefined member", { a: { b: undefined } }, "/a/b"],
    ["undefined top level", undefined, "/"],
    ["function", { run: () => 1 }, "/run"],
    ["bigint", { big: 1n }, "/big"],
    ["symbol", [Symbol("s")], "/0"],
    ["Date", { at: new Date(0) }, "/at"],
    ["Map", new Map(), "/"],
    ["lone high surrogate", { s: "a\uD800" }, "/s"],
    ["lone low surrogate key", { "\uDC00": 1 }, "/\uDC00"],
    ["array hole", new Array(3), "/0"],
  ];
  it.each(refusals)("refuses %s with NG_ERR_TEMPLATE_NOT_JSON naming the pointer", (_label, value, pointer) => {
    let caught: unknown;
    try {
      canonicalize(value);
    } catch (error) {
      caught = error;
    }
    expect(NextGenError.is(caught, "NG_ERR_TEMPLATE_NOT_JSON")).toBe(true);
    expect((caught as Error).message).toContain(`cannot canonicalize ${pointer}:`);
  });

  it("refuses cycles", () => {
    const cyclic: Record<string, unknown> = { a: [] };
    (cyclic.a as unknown[]).push(cyclic);
    expect(() => canonicalize(cyclic)).toThrow(/\/a\/0: the value contains a cycle/);
  });
});

describe("canonicalize: properties", () => {
  const json = fc.jsonValue({ maxDepth: 6 }).filter((value) => {
    try {
      // The strict parser refuses these keys by design; they say nothing about JCS.
      if (/"(__proto__|constructor|prototype)":/.test(JSON.stringify(value))) return false;
      canonicalize(value);
      return true;
    } catch {
      return false; // fast-check may generate lone surrogates, which JCS refuses
    }
  });

  it("canonicalize ∘ parse ∘ canonicalize is a fixed point", () => {
    fc.assert(
      fc.property(json, (value) => {
        const once = canonicalize(value);
        const twice = canonicalize(parseStrictJson(decoder.decode(once), { maxDepth: 64 }));
        expect(twice).toEqual(once);
      }),
      { numRuns: 300 },
    );
  });

  it("orders keys as the default sort does, for small and large objects alike", () => {
    // Up to 24 keys are sorted by insertion, more by Array.prototype.sort: both must agree with it.
    const key = fc.string({ unit: "binary", maxLength: 4 });
    fc.assert(
      fc.property(fc.uniqueArray(key, { maxLength: 40 }), (keys) => {
        const object = Object.fromEntries(keys.map((name, index) => [name, index]));
        const parsed = JSON.parse(new TextDecoder().decode(canonicalize(object))) as Record<string, number>;
        // Integer-like keys are reordered by JSON.parse itself: compare the canonical text instead.
        const expected = `{${[...keys]
          .sort()
          .map((name) => `${JSON.stringify(name)}:${object[name]}`)
          .join(",")}}`;
        expect(Object.keys(parsed).length).toBe(keys.length);
        expect(new TextDecoder().decode(canonicalize(object))).toBe(expected);
      }),
      { numRuns: 300 },
    );
  });

  it("does not depend on key order", () => {
    const shuffled = (value: unknown, seed: number): unknown => {
      if (Array.isArray(value)) return value.map((item) => shuffled(item, seed));
      if (value === null || typeof value !== "object") return value;
      const entries = Object.entries(value);
      const rotated =
        entries.length === 0
          ? entries
          : [...entries.slice(seed % entries.length), ...entries.slice(0, seed % entries.length)];
      return Object.fromEntries(rotated.reverse().map(([key, item]) => [key, shuffled(item, seed + 1)]));
    };
    fc.assert(
      fc.property(json, fc.nat(), (value, seed) => {
        expect(canonicalize(shuffled(value, seed))).toEqual(canonicalize(value));
      }),
      { numRuns: 300 },
    );
  });

  it("agrees with JSON.parse on what the text means", () => {
    fc.assert(
      fc.property(json, (value) => {
        expect(JSON.parse(decoder.decode(canonicalize(value)))).toEqual(JSON.parse(JSON.stringify(value)));
      }),
      { numRuns: 200 },
    );
  });
});
