import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import type { Transport } from "@modelcontextprotocol/sdk/shared/transport.js";
import { ToolListChangedNotificationSchema } from "@modelcontextprotocol/sdk/types.js";
import { NextGenError } from "@nextgen/core";
import type { McpErrorCode } from "./errors/mcp-error-codes.js";
import type { ResolvedLimits } from "./limits.js";
import { type ListedTool, type ToolState, toolState } from "./tool-state.js";

/** A transport, or a function making a fresh one (which lets the registry reconnect). */
export type McpTransportSource = Transport | (() => Transport | Promise<Transport>);

/** @internal How to reach one server. */
export interface ConnectionOptions {
  server: string;
  transport: McpTransportSource | undefined;
  client: Client | undefined;
  connectTimeoutMs: number;
  limits: ResolvedLimits;
  clientInfo: { name: string; version: string };
}

/**
 * @internal One MCP session and the server's current tool definitions. Owns the client
 * it made (closing it ends the session and, for stdio, the server process); re-lists
 * tools on `tools/list_changed`; reconnects on demand when it was given a transport
 * factory and the connection dropped.
 */
export class McpConnection {
  /** Current definitions by MCP tool name; a name missing here was withdrawn or broke a limit. */
  states: Map<string, ToolState> = new Map();
  /** Set by `tools/list_changed` until a refresh has read the new list. */
  stale = false;
  #client: Client | undefined;
  #connected = false;
  #closed = false;
  #reconnecting: Promise<Client> | undefined;
  #refreshing: Promise<void> | undefined;
  #generation = 0;
  readonly #options: ConnectionOptions;

  constructor(options: ConnectionOptions) {
    this.#options = options;
  }

  get closed(): boolean {
    return this.#closed;
  }

  /** Connects (unless given a connected client) and reads the tool list; limits are errors here. */
  async open(): Promise<void> {
    const client = this.#options.client ?? (await this.#connect());
    this.#attach(client);
    this.states = await this.#list(client, true);
  }

  /** The client, reconnecting first when the session dropped and a transport factory allows it. */
  async ready(): Promise<Client> {
    if (this.#closed)
      throw new NextGenError<McpErrorCode>(
        "NG_ERR_MCP_CLOSED",
        `MCP server "${this.#options.server}" registry is closed`,
      );
    if (this.#connected && this.#client !== undefined) return this.#client;
    if (this.#options.client !== undefined || typeof this.#options.transport !== "function")
      throw new NextGenError<McpErrorCode>(
        "NG_ERR_MCP_CONNECT",
        `the connection to MCP server "${this.#options.server}" is closed; pass \`transport\` as a function to let it reconnect`,
      );
    this.#reconnecting ??= (async () => {
      try {
        // The dropped session's client may still hold a stream open (Streamable HTTP): end it.
        await this.#client?.close().catch(() => {});
        const client = await this.#connect();
        this.#attach(client);
        this.states = await this.#list(client, false);
        this.stale = false;
        return client;
      } finally {
        this.#reconnecting = undefined;
      }
    })();
    return this.#reconnecting;
  }

  /** Marks the session dropped (a transport-level failure): the next call reconnects. */
  dropped(): void {
    this.#connected = false;
  }

  /** Re-reads the tool list (single-flight; a notification during a refresh runs another). */
  refresh(): Promise<void> {
    const generation = ++this.#generation;
    const run = async (): Promise<void> => {
      const client = await this.ready();
      const states = await this.#list(client, false);
      this.states = states;
      if (generation === this.#generation) this.stale = false;
    };
    const previous = this.#refreshing ?? Promise.resolve();
    const current = previous.catch(() => {}).then(run);
    this.#refreshing = current;
    void current
      .finally(() => {
        if (this.#refreshing === current) this.#refreshing = undefined;
      })
      .catch(() => {});
    return current;
  }

  /** Ends the session: closes the client this connection made; a caller's client is left open. */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    this.#connected = false;
    const client = this.#client;
    if (client === undefined) return;
    client.removeNotificationHandler("notifications/tools/list_changed");
    if (this.#options.client === undefined) await client.close().catch(() => {});
  }

  async #connect(): Promise<Client> {
    const { transport, server, connectTimeoutMs, clientInfo } = this.#options;
    const client = new Client(clientInfo, { capabilities: {} });
    try {
      const instance = typeof transport === "function" ? await transport() : (transport as Transport);
      await client.connect(instance, { timeout: connectTimeoutMs });
      return client;
    } catch (error) {
      await client.close().catch(() => {});
      throw new NextGenError<McpErrorCode>(
        "NG_ERR_MCP_CONNECT",
        `could not connect to MCP server "${server}": ${String(error)}`,
        {
          cause: error,
        },
      );
    }
  }

  #attach(client: Client): void {
    this.#client = client;
    this.#connected = true;
    const previous = client.onclose;
    client.onclose = () => {
      previous?.();
      if (this.#client === client) this.#connected = false;
    };
    client.setNotificationHandler(ToolListChangedNotificationSchema, () => {
      this.stale = true;
      this.refresh().catch(() => {});
    });
  }

  /** Every page of `tools/list`, bounded: at most `maxTools` tools and as many pages. */
  async #list(client: Client, strict: boolean): Promise<Map<string, ToolState>> {
    const { server, limits, connectTimeoutMs } = this.#options;
    const listed: ListedTool[] = [];
    let cursor: string | undefined;
    let pages = 0;
    do {
      const page = await client.listTools(cursor === undefined ? undefined : { cursor }, { timeout: connectTimeoutMs });
      listed.push(...(page.tools as ListedTool[]));
      if (listed.length > limits.maxTools || ++pages > limits.maxTools)
        throw new NextGenError<McpErrorCode>(
          "NG_ERR_MCP_LIMIT",
          `MCP server "${server}" offers more than ${limits.maxTools} tools`,
        );
      cursor = page.nextCursor;
    } while (cursor !== undefined);
    const states = new Map<string, ToolState>();
    for (const tool of listed) {
      if (states.has(tool.name))
        throw new NextGenError<McpErrorCode>(
          "NG_ERR_MCP_LIMIT",
          `MCP server "${server}" lists tool "${tool.name}" twice`,
        );
      try {
        states.set(tool.name, toolState(server, tool, limits));
      } catch (error) {
        // At connect the host is there to see it; later, the tool is withdrawn instead.
        if (strict) throw error;
      }
    }
    return states;
  }
}
