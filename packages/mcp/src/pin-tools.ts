import { NextGenError } from "@nextgen/core";
import { type McpServerConfig, mcpTransport } from "./mcp-config.js";
import { type McpToolRegistry, type McpToolsOptions, mcpTools } from "./mcp-tools.js";

/** The servers of an MCP config, connected on first use and closed together. */
export interface McpToolPinner {
  /**
   * The current digest of each granted MCP tool (`<server>/<tool>` names) among `tools`;
   * tools without a `/` are not MCP tools and are skipped.
   * @throws {NextGenError} `NG_ERR_OPTIONS_INVALID` for a server the config does not list
   *   or a tool the server does not offer; `NG_ERR_MCP_CONNECT`/`NG_ERR_MCP_LIMIT` from the server.
   */
  digests(tools: readonly string[]): Promise<Record<string, string>>;
  /** Closes every connection made. */
  close(): Promise<void>;
}

/**
 * What `nextgen sign --pin-tools` uses: connects to the configured servers a template's
 * tools name (once each) and reads the digests to record in its `toolPins`.
 *
 * @example
 * ```ts
 * const pinner = mcpToolPinner(parseMcpConfig(await readFile("mcp.json", "utf8")));
 * const pins = await pinner.digests(template.tools ?? []); // { "calc/add": "sha256:…" }
 * await pinner.close();
 * ```
 */
export function mcpToolPinner(
  servers: Readonly<Record<string, McpServerConfig>>,
  options: Omit<McpToolsOptions, "server" | "transport" | "client"> = {},
): McpToolPinner {
  const registries = new Map<string, Promise<McpToolRegistry>>();
  const registryOf = (server: string): Promise<McpToolRegistry> => {
    let registry = registries.get(server);
    if (registry === undefined) {
      const config = Object.hasOwn(servers, server) ? servers[server] : undefined;
      if (config === undefined)
        return Promise.reject(new NextGenError("NG_ERR_OPTIONS_INVALID", `the MCP config lists no server "${server}"`));
      registry = mcpTools({ ...options, server, transport: mcpTransport(config) });
      registries.set(server, registry);
    }
    return registry;
  };
  return {
    async digests(tools: readonly string[]): Promise<Record<string, string>> {
      const pins: Record<string, string> = {};
      for (const name of tools) {
        const slash = name.indexOf("/");
        if (slash < 0) continue;
        const registry = await registryOf(name.slice(0, slash));
        const digest = registry.definition(name)?.digest;
        if (digest === undefined)
          throw new NextGenError(
            "NG_ERR_OPTIONS_INVALID",
            `MCP server "${registry.server}" does not offer tool "${name}"`,
          );
        pins[name] = digest;
      }
      return pins;
    },
    async close(): Promise<void> {
      const opened = [...registries.values()];
      registries.clear();
      await Promise.all(opened.map((registry) => registry.then((open) => open.close()).catch(() => {})));
    },
  };
}
