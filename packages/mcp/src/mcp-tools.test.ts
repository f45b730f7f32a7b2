import { createHash } from "node:crypto";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import { canonicalize, type ToolCallContext } from "@nextgen/core";
import { afterEach, describe, expect, it, vi } from "vitest";
import { type McpToolRegistry, mcpTools } from "./mcp-tools.js";
import { type Connect, overHttp, overStdio, stdio, transports } from "./test-servers.js";

// Each test starts real MCP server processes (node + tsx): allow for a loaded machine.
vi.setConfig({ testTimeout: 60_000 });

// The refresh a notification starts runs over a real transport: give it time on a loaded machine.
const settle = { timeout: 15_000, interval: 20 };

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  while (cleanups.length > 0) await cleanups.pop()!();
});

/** Connects over `connect` and closes everything after the test. */
const registryOver =
  (connect: Connect) =>
  async (options: Parameters<Connect>[0] = {}): Promise<McpToolRegistry> => {
    const { registry, cleanup } = await connect(options);
    cleanups.push(cleanup);
    return registry;
  };

const context = (signal?: AbortSignal): ToolCallContext => ({ signal, toolName: "calc/add", agent: undefined });
const call = (registry: McpToolRegistry, name: string, input: unknown, signal?: AbortSignal) =>
  registry.definition(name)!.execute(input, context(signal)) as Promise<{
    content: Array<{ text?: string }>;
    isError?: boolean;
    structuredContent?: unknown;
  }>;

describe.each(transports.map(([name, connect]) => [name, registryOver(connect)] as const))(
  "mcpTools over %s",
  (_transport, connect) => {
    it("lists the server's tools as <server>/<tool> with descriptions, schemas and digests, and calls them", async () => {
      const registry = await connect();
      expect(registry.names).toEqual(["calc/add", "calc/admin", "calc/big", "calc/fail", "calc/hang", "calc/pid"]);
      expect(registry.has("calc/add")).toBe(true);
      const add = registry.definition("calc/add")!;
      expect(add.description).toBe("Adds two numbers.");
      expect(add.inputSchema).toMatchObject({ type: "object", required: ["a", "b"] });
      const expected = createHash("sha256")
        .update(canonicalize({ description: add.description, inputSchema: add.inputSchema }))
        .digest("hex");
      expect(add.digest).toBe(`sha256:${expected}`);
      await expect(call(registry, "calc/add", { a: 2, b: 3 })).resolves.toEqual({
        content: [{ type: "text", text: "5" }],
        structuredContent: { sum: 5 },
      });
      const viaGet = registry.get("calc/add") as unknown as (
        input: unknown,
        context: ToolCallContext,
      ) => Promise<unknown>;
      await expect(viaGet({ a: 1, b: 1 }, context())).resolves.toMatchObject({ content: [{ text: "2" }] });
    });

    it("returns the server's errors and protocol errors as error tool results", async () => {
      const registry = await connect();
      await expect(call(registry, "calc/fail", {})).resolves.toEqual({
        content: [{ type: "text", text: "division by zero" }],
        isError: true,
      });
      const refused = await call(registry, "calc/admin", { action: "nonsense" });
      expect(refused.isError).toBe(true);
      expect(refused.content[0]!.text).toMatch(/error -32602/);
      await expect(call(registry, "calc/add", "not an object")).resolves.toMatchObject({ isError: true });
    });

    it("validates arguments against the tool's schema before they reach the server (get)", async () => {
      const registry = await connect();
      const add = registry.get("calc/add") as unknown as (input: unknown, context: ToolCallContext) => Promise<unknown>;
      await expect(add({ a: "two", b: 3 }, context())).rejects.toMatchObject({ code: "NG_ERR_TOOL_INPUT_INVALID" });
      await expect(add({ a: 2 }, context())).rejects.toMatchObject({ code: "NG_ERR_TOOL_INPUT_INVALID" });
    });

    it("bounds results: a result over maxResultBytes becomes an error result", async () => {
      const registry = await connect({ limits: { maxResultBytes: 100_000 } });
      const result = await call(registry, "calc/big", {});
      expect(result.isError).toBe(true);
      expect(result.content[0]!.text).toMatch(/larger than the 100000-byte limit/);
    });

    it("honours the agent's AbortSignal and the timeout", async () => {
      const registry = await connect({ timeoutMs: 300 });
      const controller = new AbortController();
      const pending = call(registry, "calc/hang", {}, controller.signal);
      controller.abort(new Error("run aborted"));
      await expect(pending).rejects.toThrow("run aborted");
      const timedOut = await call(registry, "calc/hang", {});
      expect(timedOut).toMatchObject({ isError: true, content: [{ text: "calc/hang: no result within 300 ms" }] });
      // The session is still usable afterwards (checked with tools/list, which has its own, longer timeout).
      await expect(registry.refresh()).resolves.toBeUndefined();
      expect(registry.definition("calc/add")!.digest).toMatch(/^sha256:/);
    });

    it("re-reads definitions on list_changed: a changed description changes the digest; added tools are not added", async () => {
      const registry = await connect();
      const before = registry.definition("calc/add")!.digest;
      await call(registry, "calc/admin", { action: "change-description" });
      await vi.waitFor(() => expect(registry.definition("calc/add")!.digest).not.toBe(before), settle);
      expect(registry.definition("calc/add")!.description).toMatch(/id_rsa/);
      await call(registry, "calc/admin", { action: "add-tool" });
      await registry.refresh();
      expect(registry.has("calc/exfiltrate")).toBe(false);
      expect(registry.get("calc/exfiltrate")).toBeUndefined();
      expect(registry.names).not.toContain("calc/exfiltrate");
      await call(registry, "calc/admin", { action: "withdraw-add" });
      await vi.waitFor(() => expect(registry.definition("calc/add")!.digest).toBeUndefined(), settle);
      await expect(call(registry, "calc/add", { a: 1, b: 2 })).resolves.toMatchObject({
        isError: true,
        content: [{ text: "calc/add: the MCP server no longer offers this tool" }],
      });
    });

    it("close() ends the session; later calls are refused with NG_ERR_MCP_CLOSED; close is idempotent", async () => {
      const registry = await connect();
      await registry.close();
      await registry.close();
      await expect(call(registry, "calc/add", { a: 1, b: 2 })).rejects.toMatchObject({ code: "NG_ERR_MCP_CLOSED" });
    });
  },
);

describe("mcpTools", () => {
  it("reconnects after the stdio server process dies, when the transport is a function", async () => {
    const registry = await registryOver(overStdio)();
    const pid = Number((await call(registry, "calc/pid", {})).content[0]!.text);
    process.kill(pid, "SIGKILL");
    // A call that meets the dead session reports it as an error result; the next one runs on a new session.
    let result = await call(registry, "calc/pid", {});
    if (result.isError) {
      expect(result.content[0]!.text).toBe("calc/pid: the connection to the MCP server failed during the call");
      result = await call(registry, "calc/pid", {});
    }
    expect(result.isError).toBeUndefined();
    expect(Number(result.content[0]!.text)).not.toBe(pid);
  });

  it("reconnects with a new session after a Streamable HTTP server lost its sessions (a restart)", async () => {
    const { registry, cleanup, endSessions } = await overHttp();
    cleanups.push(cleanup);
    await expect(call(registry, "calc/add", { a: 1, b: 1 })).resolves.toMatchObject({ content: [{ text: "2" }] });
    await endSessions!();
    let result = await call(registry, "calc/add", { a: 2, b: 2 });
    if (result.isError) {
      expect(result.content[0]!.text).toMatch(
        /^calc\/add: the (connection to the MCP server failed|MCP server answered)/,
      );
      result = await call(registry, "calc/add", { a: 2, b: 2 });
    }
    expect(result).toMatchObject({ content: [{ text: "4" }] });
  });

  it("refuses a call whose tool changed after it was checked: the call waits for the refresh, then refuses", async () => {
    const registry = await registryOver(overStdio)();
    // Over stdio the list_changed notification arrives before the admin call's result, so
    // the next call starts while the refresh it triggered is still on its way.
    await call(registry, "calc/admin", { action: "change-description" });
    const result = await call(registry, "calc/add", { a: 1, b: 2 });
    expect(result).toEqual({
      isError: true,
      content: [
        { type: "text", text: "calc/add: the tool's definition changed while the call was being made; refused" },
      ],
    });
    expect(registry.definition("calc/add")!.description).toMatch(/id_rsa/);
  });

  it("accepts a connected client and leaves it open on close()", async () => {
    const client = new Client({ name: "host", version: "1.0.0" });
    await client.connect(stdio());
    cleanups.push(() => client.close());
    const registry = await mcpTools({ server: "calc", client });
    await expect(call(registry, "calc/add", { a: 4, b: 4 })).resolves.toMatchObject({ content: [{ text: "8" }] });
    await registry.close();
    await expect(client.listTools()).resolves.toMatchObject({ tools: expect.any(Array) });
  });

  it("refuses tool lists over the limits at connect with NG_ERR_MCP_LIMIT and leaves no process behind", async () => {
    await expect(mcpTools({ server: "calc", transport: stdio, limits: { maxTools: 3 } })).rejects.toMatchObject({
      code: "NG_ERR_MCP_LIMIT",
    });
    await expect(
      mcpTools({ server: "calc", transport: stdio, limits: { maxDescriptionBytes: 5 } }),
    ).rejects.toMatchObject({
      code: "NG_ERR_MCP_LIMIT",
    });
    await expect(mcpTools({ server: "calc", transport: stdio, limits: { maxSchemaBytes: 20 } })).rejects.toMatchObject({
      code: "NG_ERR_MCP_LIMIT",
    });
    await expect(mcpTools({ server: "calc", transport: stdio, limits: { maxSchemaDepth: 2 } })).rejects.toMatchObject({
      code: "NG_ERR_MCP_LIMIT",
    });
  });

  it("reports an unreachable server with NG_ERR_MCP_CONNECT", async () => {
    const unreachable = new StreamableHTTPClientTransport(new URL("http://127.0.0.1:9/mcp"));
    await expect(mcpTools({ server: "gone", transport: unreachable, connectTimeoutMs: 2000 })).rejects.toMatchObject({
      code: "NG_ERR_MCP_CONNECT",
    });
  });

  it("refuses bad options with NG_ERR_OPTIONS_INVALID", async () => {
    await expect(mcpTools({ server: "Bad/Name", transport: stdio })).rejects.toMatchObject({
      code: "NG_ERR_OPTIONS_INVALID",
    });
    await expect(mcpTools({ server: "calc" })).rejects.toMatchObject({ code: "NG_ERR_OPTIONS_INVALID" });
    await expect(mcpTools({ server: "calc", transport: stdio, timeoutMs: 0 })).rejects.toMatchObject({
      code: "NG_ERR_OPTIONS_INVALID",
    });
    await expect(mcpTools({ server: "calc", transport: stdio, limits: { maxTools: -1 } })).rejects.toMatchObject({
      code: "NG_ERR_OPTIONS_INVALID",
    });
  });
});
