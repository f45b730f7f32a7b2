import { describe, expect, it } from "vitest";
import { testTemplateSource } from "../testing/template-source-suite.js";
import { memorySource } from "./memory-source.js";

testTemplateSource("memorySource", (templates) => memorySource(templates));

describe("memorySource", () => {
  it("refuses a malformed id, a bad version and duplicates with OptionsError naming the entry", () => {
    const bad = (templates: unknown[]) => () => memorySource(templates as never);
    expect(bad([{ schemaVersion: 1, id: "../x", version: "1.0.0" }])).toThrow(/templates\[0\]\.id/);
    expect(bad([{ schemaVersion: 1, id: "a/b", version: "one" }])).toThrow(/templates\[0\]\.version/);
    const twice = { schemaVersion: 1, id: "a/b", version: "1.0.0" };
    expect(bad([twice, twice])).toThrow(/templates\[1\] duplicates a\/b@1\.0\.0/);
    // Not a TypeError from reading a property of null: the coded error, naming the entry.
    expect(bad([null])).toThrow(expect.objectContaining({ code: "NG_ERR_OPTIONS_INVALID", option: "templates[0].id" }));
    expect(bad([twice, twice])).toThrow(
      expect.objectContaining({ code: "NG_ERR_OPTIONS_INVALID", option: "templates[1]" }),
    );
  });

  it("hands out copies, so a caller cannot change what the source holds", async () => {
    const source = memorySource([{ schemaVersion: 1, id: "a/b", version: "1.0.0" }]);
    const first = await source.get("a/b");
    first!.bytes.fill(0);
    expect(JSON.parse(new TextDecoder().decode((await source.get("a/b"))!.bytes)).id).toBe("a/b");
  });
});
