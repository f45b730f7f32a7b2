import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { runCli } from "../test-support/run-cli.js";

const EXAMPLES = join(import.meta.dirname, "../../../../examples/templates");

const template = (id: string, extra: Record<string, unknown> = {}) => ({
  schemaVersion: 1,
  id,
  version: "1.0.0",
  name: id,
  role: "specialist",
  description: `Agent ${id}`,
  ...extra,
});

let directory: string;
beforeEach(async () => {
  directory = await mkdtemp(join(tmpdir(), "nextgen-cli-validate-"));
});
afterEach(async () => {
  await rm(directory, { recursive: true, force: true });
});

async function put(relativePath: string, content: unknown): Promise<string> {
  const path = join(directory, relativePath);
  await mkdir(join(path, ".."), { recursive: true });
  await writeFile(path, typeof content === "string" ? content : JSON.stringify(content, null, 2));
  return path;
}

describe("nextgen validate", () => {
  it("passes the example templates, extends chains included", async () => {
    const result = await runCli("validate", EXAMPLES, "--resolve");
    expect(result.stderr).toBe("");
    expect(result.exitCode).toBe(0);
    expect(result.stdout).toMatch(/^result\s+file\s+template\s+problems\n/);
    expect(result.stdout).toMatch(/^ok\s+\S+auditor\.json\s+security\/auditor@/m);
  });

  it("reports every problem of a file with its pointer, expected/actual and suggestion", async () => {
    const file = await put(
      "qa/tester.json",
      template("qa/tester", { capabilites: [], config: { temperature: "hot" }, version: "one" }),
    );
    const result = await runCli("validate", file);
    expect(result.exitCode).toBe(1);
    expect(result.stdout).toMatch(/^INVALID\s+\S+tester\.json\s+3 problems$/m);
    const lines = result.stderr.trim().split("\n");
    expect(lines).toHaveLength(3);
    for (const line of lines) expect(line).toMatch(/^nextgen: \S+tester\.json#\/\S+: NG_ERR_TEMPLATE_INVALID: /);
    expect(result.stderr).toContain("#/version:");
    expect(result.stderr).toContain("#/config/temperature:");
    expect(result.stderr).toMatch(/#\/capabilites: .*\(did you mean "capabilities"\?\)/);
  });

  it("refuses a root template without name or description, as the factory does, but not a child", async () => {
    const { name: _name, description: _description, ...bare } = template("qa/bare");
    const root = await put("qa/bare.json", bare);
    const nulled = await put("qa/nulled.json", template("qa/nulled", { name: null }));
    const child = await put("qa/child.json", { ...bare, id: "qa/child", extends: "qa/base" });
    const result = await runCli("validate", root, nulled, child);
    expect(result.exitCode).toBe(1);
    expect(result.stdout).toMatch(/^INVALID\s+\S+bare\.json\s+qa\/bare@1\.0\.0\s+2 problems$/m);
    expect(result.stdout).toMatch(/^INVALID\s+\S+nulled\.json\s+qa\/nulled@1\.0\.0\s+1 problem$/m);
    expect(result.stdout).toMatch(/^ok\s+\S+child\.json/m);
    const lines = result.stderr.trim().split("\n");
    expect(lines).toEqual([
      expect.stringMatching(
        /^nextgen: \S+bare\.json#\/name: NG_ERR_TEMPLATE_INVALID: missing required property "name"/,
      ),
      expect.stringMatching(
        /^nextgen: \S+bare\.json#\/description: NG_ERR_TEMPLATE_INVALID: missing required property "description"/,
      ),
      expect.stringMatching(
        /^nextgen: \S+nulled\.json#\/name: NG_ERR_TEMPLATE_INVALID: missing required property "name"/,
      ),
    ]);
  });

  it("refuses a duplicate key and a __proto__ key with their codes and pointers", async () => {
    const duplicate = await put("a/dup.json", '{"schemaVersion":1,"id":"a/dup","id":"a/other","version":"1.0.0"}');
    const proto = await put("a/proto.json", '{"schemaVersion":1,"id":"a/proto","version":"1.0.0","__proto__":{}}');
    const result = await runCli("validate", duplicate, proto, "--json");
    expect(result.exitCode).toBe(1);
    const report = JSON.parse(result.stdout);
    expect(report.ok).toBe(false);
    expect(report.results.map((entry: { issues: { code: string; pointer?: string }[] }) => entry.issues[0])).toEqual([
      expect.objectContaining({ code: "NG_ERR_TEMPLATE_DUPLICATE_KEY", pointer: "/id" }),
      expect.objectContaining({ code: "NG_ERR_TEMPLATE_FORBIDDEN_KEY", pointer: "/__proto__" }),
    ]);
    expect(result.stderr).toContain("NG_ERR_TEMPLATE_DUPLICATE_KEY");
    expect(result.stderr).toContain("NG_ERR_TEMPLATE_FORBIDDEN_KEY");
  });

  it("checks the id and version against the path below a directory argument", async () => {
    await put("security/auditor.json", template("security/auditor"));
    await put("security/scanner.json", template("security/other"));
    await put("security/probe@2.0.0.json", template("security/probe"));
    const result = await runCli("validate", directory, "--json");
    expect(result.exitCode).toBe(1);
    const { results } = JSON.parse(result.stdout);
    expect(results).toEqual([
      {
        file: join(directory, "security/auditor.json"),
        id: "security/auditor",
        version: "1.0.0",
        valid: true,
        issues: [],
      },
      expect.objectContaining({
        id: "security/probe",
        valid: false,
        issues: [
          expect.objectContaining({ code: "NG_ERR_SOURCE_ID_MISMATCH", pointer: "/version", expected: '"2.0.0"' }),
        ],
      }),
      expect.objectContaining({
        id: "security/other",
        valid: false,
        issues: [
          expect.objectContaining({
            code: "NG_ERR_SOURCE_ID_MISMATCH",
            pointer: "/id",
            expected: '"security/scanner"',
          }),
        ],
      }),
    ]);
    // A file named directly is not under a directory argument: no path rule applies.
    expect((await runCli("validate", join(directory, "security/scanner.json"))).exitCode).toBe(0);
  });

  it("with --resolve, names an extends cycle with its chain and a missing parent", async () => {
    await put("a/x.json", template("a/x", { extends: "b/y" }));
    await put("b/y.json", template("b/y", { extends: "a/x" }));
    await put("c/z.json", template("c/z", { extends: "c/missing" }));
    const plain = await runCli("validate", directory);
    expect(plain.exitCode).toBe(0);
    const result = await runCli("validate", directory, "--resolve", "--json");
    expect(result.exitCode).toBe(1);
    const { results } = JSON.parse(result.stdout);
    expect(results[0].issues[0]).toMatchObject({ code: "NG_ERR_TEMPLATE_EXTENDS_CYCLE", chain: ["a/x", "b/y", "a/x"] });
    expect(results[2].issues[0]).toMatchObject({ code: "NG_ERR_TEMPLATE_NOT_FOUND", chain: ["c/z", "c/missing"] });
    expect(result.stderr).toContain("NG_ERR_TEMPLATE_EXTENDS_CYCLE: extends cycle: a/x → b/y → a/x");
  });

  it("with --resolve, reports required fields missing after the merge", async () => {
    await put("base/root.json", { schemaVersion: 1, id: "base/root", version: "1.0.0", role: "specialist" });
    await put("qa/leaf.json", {
      schemaVersion: 1,
      id: "qa/leaf",
      version: "1.0.0",
      extends: "base/root",
      name: "Leaf",
    });
    const result = await runCli("validate", directory, "--resolve", "--json");
    expect(result.exitCode).toBe(1);
    const leaf = JSON.parse(result.stdout).results.find((entry: { id: string }) => entry.id === "qa/leaf");
    expect(leaf.issues).toEqual([
      expect.objectContaining({ code: "NG_ERR_TEMPLATE_INVALID", pointer: "/description" }),
    ]);
  });

  it("exits 1 when the paths hold no template files, and 2 on a usage error", async () => {
    const empty = await runCli("validate", directory);
    expect(empty.exitCode).toBe(1);
    expect(empty.stderr).toContain("no template files");
    expect((await runCli("validate")).exitCode).not.toBe(0);
  });

  it("documents itself, saying signatures are not checked", async () => {
    const help = await runCli("validate", "--help");
    expect(help.exitCode).toBe(0);
    expect(help.stdout).toContain("--resolve");
    expect(help.stdout).toContain("Signatures are NOT checked here");
    expect(help.stdout).toContain("nextgen validate templates/");
  });
});
