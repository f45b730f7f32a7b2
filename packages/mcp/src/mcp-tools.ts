import type { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { ErrorCode, McpError } from "@modelcontextprotocol/sdk/types.js";
import {
  errorCode,
  type JsonSchema,
  NextGenError,
  type Tool,
  type ToolCallContext,
  type ToolDefinition,
  type ToolRegistry,
} from "@nextgen/core";
import { jsonSchemaProblems, validateToolInput } from "@nextgen/core/internal";
import { boundedResult, errorResult, type McpToolResult } from "./call-result.js";
import type { McpErrorCode } from "./errors/mcp-error-codes.js";
import { type McpLimits, resolveLimits } from "./limits.js";
import { McpConnection, type McpTransportSource } from "./mcp-connection.js";
import { NAME_PART } from "./tool-state.js";

/** Options of {@link mcpTools}: a server name and either a transport or a connected client. */
export interface McpToolsOptions {
  /** The prefix of every tool name (`<server>/<tool>`): `[a-z0-9][a-z0-9._-]*`. */
  server: string;
  /**
   * An MCP SDK transport (`StdioClientTransport`, `StreamableHTTPClientTransport`), or a
   * function returning a fresh one: with a function the registry reconnects after the
   * session drops (a crashed server process, a restarted HTTP server).
   */
  transport?: McpTransportSource;
  /** A connected MCP SDK `Client` instead of a transport; it stays yours (`close()` leaves it open). */
  client?: Client;
  /** Longest a tool call may take, in ms; then it returns an error result. @default 60000 */
  timeoutMs?: number;
  /** Longest the connection and each `tools/list` may take, in ms. @default 10000 */
  connectTimeoutMs?: number;
  /** Bounds on the server's tool list, descriptions, schemas and results. */
  limits?: McpLimits;
  /** How this client introduces itself. @default { name: "nextgen", version: "0.1.0" } */
  clientInfo?: { name: string; version: string };
}

/** The tools of one MCP server, as a tool registry. */
export interface McpToolRegistry extends ToolRegistry {
  /** The server name (the prefix of every tool name). */
  readonly server: string;
  /** Re-reads the server's tool list now (it is also re-read on `tools/list_changed`). */
  refresh(): Promise<void>;
  /** Ends the MCP session (and a stdio server's process). Idempotent. */
  close(): Promise<void>;
}

function positive(name: string, value: number | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  if (!Number.isSafeInteger(value) || value < 1)
    throw new NextGenError("NG_ERR_OPTIONS_INVALID", `options.${name} must be a positive integer (ms)`);
  return value;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/**
 * Connects to an MCP server and returns its tools as a `ToolRegistry`: each tool under
 * `<server>/<tool>` with the server's description and input schema (bounded: the server is
 * untrusted) and a `digest` a template can pin (`toolPins`). Templates still grant tools
 * by exact name: the registry offers, the template decides. Calls honour the agent's
 * `AbortSignal` and `timeoutMs`; the server's results and errors come back as tool results
 * (`{ content, isError }`). On `tools/list_changed` the definitions are re-read, so a
 * changed pinned tool's digest changes and core refuses it; tools the server adds later
 * are not added (the names are fixed when the registry is made).
 *
 * @throws {NextGenError} `NG_ERR_MCP_CONNECT` when the server cannot be reached,
 *   `NG_ERR_MCP_LIMIT` when its tool list breaks a bound, `NG_ERR_OPTIONS_INVALID`.
 * @example
 * ```ts
 * import { StdioClientTransport } from "@modelcontextprotocol/sdk/client/stdio.js";
 *
 * const github = await mcpTools({
 *   server: "github",
 *   transport: () => new StdioClientTransport({ command: "github-mcp-server", args: ["stdio"] }),
 * });
 * const factory = createAgentFactory({ source, trust, kinds, tools: github });
 * // …
 * await github.close();
 * ```
 */
export async function mcpTools(options: McpToolsOptions): Promise<McpToolRegistry> {
  if (!isPlainObject(options)) throw new NextGenError("NG_ERR_OPTIONS_INVALID", "options must be an object");
  const { server } = options;
  if (typeof server !== "string" || !NAME_PART.test(server) || server.length > 128)
    throw new NextGenError("NG_ERR_OPTIONS_INVALID", "options.server must match [a-z0-9][a-z0-9._-]* (at most 128)");
  if ((options.transport === undefined) === (options.client === undefined))
    throw new NextGenError("NG_ERR_OPTIONS_INVALID", "pass exactly one of options.transport and options.client");
  const timeoutMs = positive("timeoutMs", options.timeoutMs, 60_000);
  const connection = new McpConnection({
    server,
    transport: options.transport,
    client: options.client,
    connectTimeoutMs: positive("connectTimeoutMs", options.connectTimeoutMs, 10_000),
    limits: resolveLimits(options.limits),
    clientInfo: options.clientInfo ?? { name: "nextgen", version: "0.1.0" },
  });
  try {
    await connection.open();
  } catch (error) {
    await connection.close();
    throw NextGenError.is(error)
      ? error
      : new NextGenError<McpErrorCode>("NG_ERR_MCP_CONNECT", `could not list the tools of MCP server "${server}"`, {
          cause: error,
        });
  }
  const limits = resolveLimits(options.limits);

  /**
   * Calls `tool`. `checked` is the digest core's pin check saw, read in the same tick as
   * that check: whatever happens before the request goes out must not change it.
   */
  async function call(
    tool: string,
    input: unknown,
    context: ToolCallContext | undefined,
    checked: string | undefined = connection.states.get(tool)?.digest,
  ): Promise<McpToolResult> {
    const name = `${server}/${tool}`;
    if (connection.closed)
      throw new NextGenError<McpErrorCode>("NG_ERR_MCP_CLOSED", `${name}: the MCP registry is closed`);
    let client: Client;
    try {
      if (connection.stale) await connection.refresh();
      client = await connection.ready();
    } catch (error) {
      if (NextGenError.is(error, "NG_ERR_MCP_CLOSED")) throw error;
      return errorResult(`${name}: the MCP server is unavailable (${errorCode(error)})`);
    }
    const current = connection.states.get(tool);
    if (current === undefined) return errorResult(`${name}: the MCP server no longer offers this tool`);
    if (current.digest !== checked)
      return errorResult(`${name}: the tool's definition changed while the call was being made; refused`);
    if (!isPlainObject(input)) return errorResult(`${name}: arguments must be a JSON object`);
    const signal = context?.signal;
    try {
      const result = await client.callTool({ name: tool, arguments: input }, undefined, {
        timeout: timeoutMs,
        maxTotalTimeout: timeoutMs,
        ...(signal === undefined ? {} : { signal }),
      });
      return boundedResult(result as Record<string, unknown>, limits.maxResultBytes, name);
    } catch (error) {
      if (signal?.aborted) throw signal.reason ?? error;
      if (error instanceof McpError && error.code === ErrorCode.RequestTimeout)
        return errorResult(`${name}: no result within ${timeoutMs} ms`);
      if (error instanceof McpError && error.code !== ErrorCode.ConnectionClosed)
        return errorResult(
          `${name}: the MCP server answered with error ${error.code}: ${error.message.slice(0, 1000)}`,
        );
      connection.dropped();
      return errorResult(`${name}: the connection to the MCP server failed during the call`);
    }
  }

  /**
   * Validates arguments against the tool's current schema, as core does for its own
   * tools (`NG_ERR_TOOL_INPUT_INVALID`), when core's JSON Schema subset can read the
   * schema; otherwise the server's own validation decides.
   */
  async function checkInput(name: string, schema: JsonSchema, input: unknown): Promise<void> {
    if (jsonSchemaProblems(schema, "", { strict: false }).length > 0) return;
    const result = await validateToolInput(schema, input);
    if (!result.ok)
      throw new NextGenError("NG_ERR_TOOL_INPUT_INVALID", `${name}: ${result.problems.slice(0, 5).join("; ")}`);
  }

  const entries = new Map<string, { definition: ToolDefinition; tool: Tool }>();
  // What a withdrawn tool still shows (its last definition); its digest is gone, so a pin fails.
  const lastKnown = new Map(connection.states);
  const current = (tool: string) => {
    const state = connection.states.get(tool);
    if (state !== undefined) lastKnown.set(tool, state);
    return state;
  };
  for (const tool of [...connection.states.keys()].sort()) {
    const name = `${server}/${tool}`;
    const definition: ToolDefinition = {
      get description(): string {
        return (current(tool) ?? lastKnown.get(tool))!.description;
      },
      get inputSchema(): JsonSchema {
        return (current(tool) ?? lastKnown.get(tool))!.inputSchema;
      },
      /** `undefined` once the server withdrew the tool (a pinned one is then refused). */
      get digest(): string | undefined {
        return current(tool)?.digest;
      },
      execute: (input: unknown, context: ToolCallContext) => call(tool, input, context),
    };
    const callable = async (input: unknown, context: ToolCallContext): Promise<McpToolResult> => {
      const checked = connection.states.get(tool)?.digest; // before any await: see `call`
      await checkInput(name, definition.inputSchema as JsonSchema, input);
      return call(tool, input, context, checked);
    };
    entries.set(name, { definition, tool: callable as Tool });
  }
  const names = Object.freeze([...entries.keys()]);
  return Object.freeze({
    server,
    names,
    has: (name: string): boolean => entries.has(name),
    get: (name: string): Tool | undefined => entries.get(name)?.tool,
    definition: (name: string): ToolDefinition | undefined => entries.get(name)?.definition,
    refresh: (): Promise<void> => connection.refresh(),
    close: (): Promise<void> => connection.close(),
  });
}
