import { readFile } from "node:fs/promises";
import { describe, expect, it } from "vitest";
import { ERROR_CODES } from "./codes.js";

const docsUrl = new URL("../../../../docs/errors.md", import.meta.url);

describe("docs/errors.md", () => {
  it("documents every error code, and only those", async () => {
    const docs = await readFile(docsUrl, "utf8");
    const documented = [...docs.matchAll(/^### (NG_ERR_[A-Z0-9_]+)\s*$/gm)].map((match) => match[1]);
    expect(new Set(documented).size, "a code is documented twice").toBe(documented.length);
    expect([...documented].sort()).toEqual([...ERROR_CODES].sort());
  });

  it("has no duplicate codes in the code either", () => {
    expect(new Set(ERROR_CODES).size).toBe(ERROR_CODES.length);
  });

  it("uses the NG_ERR_<AREA>_<WHAT> shape for every code", () => {
    for (const code of ERROR_CODES) expect(code).toMatch(/^NG_ERR_[A-Z0-9]+_[A-Z0-9_]+$/);
  });
});
