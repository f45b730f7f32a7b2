import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { mcpTools, mcpTransport } from "@nextgen/mcp";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { runCli as run } from "../test-support/run-cli.js";

// The test MCP server of @nextgen/mcp, started over stdio by the config file.
const calcServer = fileURLToPath(new URL("../../../mcp/src/__fixtures__/calc-server.ts", import.meta.url));
const calc = { command: process.execPath, args: ["--no-warnings", "--import", "tsx", calcServer] };

// Each test starts real MCP server processes (node + tsx): allow for a loaded machine.
vi.setConfig({ testTimeout: 60_000 });

let directory: string;
beforeEach(async () => {
  directory = await mkdtemp(join(tmpdir(), "nextgen-cli-pin-"));
});
afterEach(async () => {
  await rm(directory, { recursive: true, force: true });
});

async function setup(tools: string[], extra: Record<string, unknown> = {}) {
  const key = join(directory, "release.pem");
  expect((await run("keygen", "--kid", "release", "--out", key)).exitCode).toBe(0);
  const file = join(directory, "auditor.json");
  const template = { schemaVersion: 1, id: "security/auditor", version: "1.0.0", role: "specialist", tools, ...extra };
  await writeFile(file, JSON.stringify(template));
  const config = join(directory, "mcp.json");
  await writeFile(config, JSON.stringify({ mcpServers: { calc } }));
  return { key, file, config };
}

describe("nextgen sign --pin-tools", () => {
  it("records the current digest of each granted MCP tool in toolPins, then signs", async () => {
    const { key, file, config } = await setup(["calc/add", "calc/fail", "local-lint"], {
      toolPins: { "local-lint": `sha256:${"a".repeat(64)}`, "calc/add": `sha256:${"b".repeat(64)}` },
    });
    const result = await run("sign", file, "--key", key, "--kid", "release", "--pin-tools", "--mcp-config", config);
    expect(result).toMatchObject({ exitCode: 0, stdout: "signed 1 of 1 template(s) with release\n" });
    const signed = JSON.parse(await readFile(file, "utf8"));
    const registry = await mcpTools({ server: "calc", transport: mcpTransport(calc) });
    try {
      expect(signed.toolPins).toEqual({
        "local-lint": `sha256:${"a".repeat(64)}`, // a pin of another tool is kept
        "calc/add": registry.definition("calc/add")!.digest, // an outdated MCP pin is updated
        "calc/fail": registry.definition("calc/fail")!.digest,
      });
    } finally {
      await registry.close();
    }
    expect(signed.signatures).toHaveLength(1);
  });

  it("refuses without --mcp-config, and reports a server or tool the config cannot provide", async () => {
    const { key, file, config } = await setup(["calc/missing"]);
    const without = await run("sign", file, "--key", key, "--kid", "release", "--pin-tools");
    expect(without.exitCode).not.toBe(0);
    expect(without.stderr).toMatch(/--mcp-config/);
    const missing = await run("sign", file, "--key", key, "--kid", "release", "--pin-tools", "--mcp-config", config);
    expect(missing.exitCode).toBe(1);
    expect(missing.stderr).toMatch(/does not offer tool "calc\/missing"/);
    await writeFile(file, JSON.stringify({ schemaVersion: 1, id: "a/b", version: "1.0.0", tools: ["other/x"] }));
    const unknown = await run("sign", file, "--key", key, "--kid", "release", "--pin-tools", "--mcp-config", config);
    expect(unknown.exitCode).toBe(1);
    expect(unknown.stderr).toMatch(/lists no server "other"/);
    // Nothing was signed.
    expect(JSON.parse(await readFile(file, "utf8")).signatures).toBeUndefined();
  });

  it("refuses a malformed config file with a coded error naming the member", async () => {
    const { key, file } = await setup(["calc/add"]);
    const config = join(directory, "bad.json");
    await writeFile(config, JSON.stringify({ mcpServers: { calc: { command: 1 } } }));
    const result = await run("sign", file, "--key", key, "--kid", "release", "--pin-tools", "--mcp-config", config);
    expect(result.exitCode).not.toBe(0);
    expect(result.stderr).toMatch(/mcpServers\.calc/);
  });
});
