import { describe, expect, it } from "vitest";
import { readDeclaredIdentity } from "../source/read-identity.js";
import { parseTemplate } from "./parse-template.js";
import { keepParse, takeKeptParse } from "./parsed-bytes.js";

const bytesOf = (value: unknown): Uint8Array => new TextEncoder().encode(JSON.stringify(value));

describe("kept parses", () => {
  it("hands a kept parse over once, and only for the same text within the depth limit", () => {
    const bytes = bytesOf({ a: 1 });
    const value = { a: 1 };
    keepParse(bytes, '{"a":1}', value, 1);
    expect(takeKeptParse(bytes, '{"a":1}', 32)).toBe(value);
    expect(takeKeptParse(bytes, '{"a":1}', 32)).toBeUndefined();

    keepParse(bytes, '{"a":1}', value, 1);
    expect(takeKeptParse(bytes, '{"a":2}', 32)).toBeUndefined();
    keepParse(bytes, '{"a":1}', value, 5);
    expect(takeKeptParse(bytes, '{"a":1}', 4)).toBeUndefined();
  });

  it("lets parseTemplate reuse the identity check's parse of the same bytes", () => {
    const bytes = bytesOf({ schemaVersion: 1, id: "ns/a", version: "1.0.0", name: "A" });
    expect(readDeclaredIdentity(bytes, "ns/a.json")).toEqual({ id: "ns/a", version: "1.0.0" });
    expect(parseTemplate(bytes)).toMatchObject({ id: "ns/a", version: "1.0.0", name: "A" });
  });

  it("parses bytes changed after the identity check again (the kept text no longer matches)", () => {
    const bytes = bytesOf({ schemaVersion: 1, id: "ns/a", version: "1.0.0", name: "A" });
    readDeclaredIdentity(bytes, "ns/a.json");
    bytes[bytes.indexOf("A".charCodeAt(0))] = "B".charCodeAt(0);
    expect(parseTemplate(bytes).name).toBe("B");
  });

  it("still refuses a template nested deeper than parseTemplate's limit after a laxer identity parse", () => {
    let deep: unknown = "x";
    for (let level = 0; level < 40; level++) deep = [deep];
    const bytes = bytesOf({ schemaVersion: 1, id: "ns/a", version: "1.0.0", name: "A", metadata: { deep } });
    readDeclaredIdentity(bytes, "ns/a.json");
    expect(() => parseTemplate(bytes)).toThrow(expect.objectContaining({ code: "NG_ERR_TEMPLATE_TOO_DEEP" }));
  });
});
