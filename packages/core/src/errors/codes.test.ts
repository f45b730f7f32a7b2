// docs/errors.md is the reference list of every package's codes (fastify's habit), and each
// package lists only the codes it raises (jose's). This test reads the lists from each
// package's sources, so it guards the whole repository, not just core.
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { SERVICE_ERROR_CODES } from "../../../../examples/agent-service/src/errors/service-error-codes.js";
import { A2A_ERROR_CODES } from "../../../a2a/src/errors/a2a-error-codes.js";
import { AI_ERROR_CODES } from "../../../ai/src/errors/ai-error-codes.js";
import { BACKUP_ERROR_CODES } from "../../../backup/src/errors/backup-error-codes.js";
import { COMPRESSION_ERROR_CODES } from "../../../compression/src/errors/compression-error.js";
import { MCP_ERROR_CODES } from "../../../mcp/src/errors/mcp-error-codes.js";
import { ERROR_CODES } from "./codes.js";

const root = fileURLToPath(new URL("../../../../", import.meta.url));

/** Each package's own codes, with the source folder that must raise them. */
const OWNERS: ReadonlyArray<{ readonly owner: string; readonly src: string; readonly codes: readonly string[] }> = [
  { owner: "@nextgen/core", src: "packages/core/src", codes: ERROR_CODES },
  { owner: "@nextgen/backup", src: "packages/backup/src", codes: BACKUP_ERROR_CODES },
  { owner: "@nextgen/compression", src: "packages/compression/src", codes: COMPRESSION_ERROR_CODES },
  { owner: "@nextgen/mcp", src: "packages/mcp/src", codes: MCP_ERROR_CODES },
  { owner: "@nextgen/a2a", src: "packages/a2a/src", codes: A2A_ERROR_CODES },
  { owner: "@nextgen/ai", src: "packages/ai/src", codes: AI_ERROR_CODES },
  { owner: "examples/agent-service", src: "examples/agent-service/src", codes: SERVICE_ERROR_CODES },
];

const allCodes = OWNERS.flatMap(({ codes }) => codes);

/** The package's non-test TypeScript, minus the files that only list codes. */
function raisingSources(src: string): string {
  const files = readdirSync(join(root, src), { recursive: true, encoding: "utf8" }).filter(
    (file) =>
      file.endsWith(".ts") &&
      !/\.test(-d)?\.ts$/.test(file) &&
      !/(^|\/)__fixtures__\//.test(file) &&
      !/error-codes\.ts$/.test(file) &&
      !/(^|\/)errors\/codes(\/|\.ts$)/.test(file),
  );
  return files.map((file) => readFileSync(join(root, src, file), "utf8")).join("\n");
}

describe("docs/errors.md", () => {
  it("documents every package's error codes, and only those", () => {
    const docs = readFileSync(join(root, "docs/errors.md"), "utf8");
    const documented = [...docs.matchAll(/^### (NG_ERR_[A-Z0-9_]+)\s*$/gm)].map((match) => match[1]);
    expect(new Set(documented).size, "a code is documented twice").toBe(documented.length);
    expect([...documented].sort()).toEqual([...allCodes].sort());
  });

  it("gives each code one owning package", () => {
    expect(new Set(allCodes).size).toBe(allCodes.length);
  });

  it("uses the NG_ERR_<AREA>_<WHAT> shape for every code", () => {
    for (const code of allCodes) expect(code).toMatch(/^NG_ERR_[A-Z0-9]+_[A-Z0-9_]+$/);
  });

  it.each(OWNERS)("$owner lists only codes its sources raise", ({ src, codes }) => {
    const sources = raisingSources(src);
    const neverRaised = codes.filter((code) => !sources.includes(`"${code}"`));
    expect(neverRaised).toEqual([]);
  });
});
