import { getDefaultEnvironment, StdioClientTransport } from "@modelcontextprotocol/sdk/client/stdio.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import type { Transport } from "@modelcontextprotocol/sdk/shared/transport.js";
import { NextGenError } from "@nextgen/core";
import { NAME_PART } from "./tool-state.js";

/** An MCP server started as a child process, spoken to over stdio. */
export interface McpStdioServerConfig {
  /** The program to run (no shell is involved). */
  command: string;
  /** Its arguments. @default [] */
  args?: string[];
  /** Extra environment variables (added to the MCP SDK's safe default environment). */
  env?: Record<string, string>;
  /** Working directory. @default the current one */
  cwd?: string;
}

/** An MCP server reached over Streamable HTTP. */
export interface McpHttpServerConfig {
  /** `http(s)` URL of the MCP endpoint. */
  url: string;
  /** Extra request headers (e.g. `authorization`). */
  headers?: Record<string, string>;
}

/** One server of an MCP config file. */
export type McpServerConfig = McpStdioServerConfig | McpHttpServerConfig;

/** Largest MCP config file read, in bytes. */
export const MAX_MCP_CONFIG_BYTES: number = 1024 * 1024;

function invalid(path: string, message: string): NextGenError {
  return new NextGenError("NG_ERR_OPTIONS_INVALID", `MCP config ${path} ${message}`);
}

function stringRecord(value: unknown, path: string): Record<string, string> | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== "object" || value === null || Array.isArray(value)) throw invalid(path, "must be an object");
  for (const [key, member] of Object.entries(value))
    if (typeof member !== "string") throw invalid(`${path}.${key}`, "must be a string");
  return value as Record<string, string>;
}

/**
 * Parses an MCP config file (the `mcpServers` shape MCP hosts share): each server is a
 * stdio command (`command`, `args`, `env`, `cwd`) or a Streamable HTTP `url` (with
 * `headers`). Names must be `[a-z0-9][a-z0-9._-]*`: they are the `<server>` of tool names.
 *
 * @throws {NextGenError} `NG_ERR_OPTIONS_INVALID` naming the bad member.
 * @example
 * ```ts
 * const servers = parseMcpConfig(await readFile("mcp.json", "utf8"));
 * const github = await mcpTools({ server: "github", transport: mcpTransport(servers.github!) });
 * ```
 */
export function parseMcpConfig(text: string): Record<string, McpServerConfig> {
  if (Buffer.byteLength(text, "utf8") > MAX_MCP_CONFIG_BYTES)
    throw invalid("file", `is larger than ${MAX_MCP_CONFIG_BYTES} bytes`);
  let document: unknown;
  try {
    document = JSON.parse(text);
  } catch (error) {
    throw new NextGenError("NG_ERR_OPTIONS_INVALID", "MCP config file is not JSON", { cause: error });
  }
  const servers = (document as { mcpServers?: unknown } | null)?.mcpServers;
  if (typeof servers !== "object" || servers === null || Array.isArray(servers))
    throw invalid("mcpServers", "must be an object mapping server names to servers");
  const result: Record<string, McpServerConfig> = {};
  for (const [name, entry] of Object.entries(servers)) {
    const path = `mcpServers.${name}`;
    if (!NAME_PART.test(name)) throw invalid(path, "has a name that is not [a-z0-9][a-z0-9._-]*");
    if (typeof entry !== "object" || entry === null || Array.isArray(entry)) throw invalid(path, "must be an object");
    const member = entry as Record<string, unknown>;
    if (typeof member.url === "string" && member.command === undefined) {
      let url: URL;
      try {
        url = new URL(member.url);
      } catch {
        throw invalid(`${path}.url`, "is not a URL");
      }
      if (url.protocol !== "http:" && url.protocol !== "https:") throw invalid(`${path}.url`, "must be http(s)");
      const headers = stringRecord(member.headers, `${path}.headers`);
      result[name] = { url: member.url, ...(headers === undefined ? {} : { headers }) };
    } else if (typeof member.command === "string" && member.command !== "" && member.url === undefined) {
      if (
        member.args !== undefined &&
        (!Array.isArray(member.args) || member.args.some((arg) => typeof arg !== "string"))
      )
        throw invalid(`${path}.args`, "must be an array of strings");
      if (member.cwd !== undefined && typeof member.cwd !== "string") throw invalid(`${path}.cwd`, "must be a string");
      const env = stringRecord(member.env, `${path}.env`);
      result[name] = {
        command: member.command,
        ...(member.args === undefined ? {} : { args: member.args as string[] }),
        ...(env === undefined ? {} : { env }),
        ...(member.cwd === undefined ? {} : { cwd: member.cwd as string }),
      };
    } else {
      throw invalid(path, 'must have either "command" (stdio) or "url" (Streamable HTTP)');
    }
  }
  return result;
}

/**
 * A transport factory for one configured server (pass it as `mcpTools`' `transport`, so
 * the registry can reconnect).
 *
 * @example
 * ```ts
 * const tools = await mcpTools({ server: "calc", transport: mcpTransport({ url: "http://127.0.0.1:3000/mcp" }) });
 * ```
 */
export function mcpTransport(config: McpServerConfig): () => Transport {
  if ("url" in config) {
    const url = new URL(config.url);
    return () =>
      new StreamableHTTPClientTransport(
        url,
        config.headers === undefined ? {} : { requestInit: { headers: config.headers } },
      );
  }
  return () =>
    new StdioClientTransport({
      command: config.command,
      args: config.args ?? [],
      stderr: "ignore",
      ...(config.env === undefined ? {} : { env: { ...getDefaultEnvironment(), ...config.env } }),
      ...(config.cwd === undefined ? {} : { cwd: config.cwd }),
    });
}
