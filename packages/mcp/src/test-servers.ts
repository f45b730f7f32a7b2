// Test helpers (not exported): the calc MCP server over stdio and over Streamable HTTP.
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { fileURLToPath } from "node:url";
import { StdioClientTransport } from "@modelcontextprotocol/sdk/client/stdio.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import { calcHttpListener, initialState } from "./__fixtures__/calc-server.js";
import { type McpToolRegistry, type McpToolsOptions, mcpTools } from "./mcp-tools.js";

const serverScript = fileURLToPath(new URL("./__fixtures__/calc-server.ts", import.meta.url));

/** A fresh stdio transport starting the calc server as a child process. */
export const stdio = (): StdioClientTransport =>
  new StdioClientTransport({
    command: process.execPath,
    args: ["--no-warnings", "--import", "tsx", serverScript],
    stderr: "ignore",
  });

type Extra = Partial<Omit<McpToolsOptions, "server">>;
/** Connects a registry to a calc server; the cleanup closes both. */
export type Connect = (
  options?: Extra,
) => Promise<{ registry: McpToolRegistry; cleanup(): Promise<void>; endSessions?(): Promise<void> }>;

export const overStdio: Connect = async (options = {}) => {
  const registry = await mcpTools({ server: "calc", transport: stdio, ...options });
  return { registry, cleanup: () => registry.close() };
};

export const overHttp: Connect = async (options = {}) => {
  const served = calcHttpListener(initialState());
  const server = createServer(served.listener);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const url = new URL(`http://127.0.0.1:${(server.address() as AddressInfo).port}/mcp`);
  try {
    const registry = await mcpTools({
      server: "calc",
      transport: () => new StreamableHTTPClientTransport(url),
      ...options,
    });
    return {
      registry,
      // As a restarted server would: every session the client knows is gone.
      endSessions: () => served.close(),
      cleanup: async () => {
        await registry.close();
        await served.close();
        server.closeAllConnections();
        await new Promise((resolve) => server.close(resolve));
      },
    };
  } catch (error) {
    server.close();
    throw error;
  }
};

/** Both transports, for `describe.each`. */
export const transports: Array<[string, Connect]> = [
  ["stdio (a child process)", overStdio],
  ["Streamable HTTP (loopback)", overHttp],
];
