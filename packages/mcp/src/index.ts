// Public API of @nextgen/mcp, listed by name (no `export *`).

// MCP servers' tools as a core ToolRegistry of `<server>/<tool>` tools.

export type { McpToolResult } from "./call-result.js";
export type { McpLimits } from "./limits.js";
export type { McpTransportSource } from "./mcp-connection.js";
export type { McpToolRegistry, McpToolsOptions } from "./mcp-tools.js";
export { mcpTools } from "./mcp-tools.js";

// Server configuration files (`mcp.json`) and their transports.

export type { McpHttpServerConfig, McpServerConfig, McpStdioServerConfig } from "./mcp-config.js";
export { MAX_MCP_CONFIG_BYTES, mcpTransport, parseMcpConfig } from "./mcp-config.js";

// Pinned tool definitions (what `nextgen sign --pin-tools` records in a template).

export type { McpToolPinner } from "./pin-tools.js";
export { mcpToolPinner } from "./pin-tools.js";
export { toolDigest } from "./tool-state.js";

// Errors: the codes this package raises (on core's NextGenError).

export type { McpErrorCode } from "./errors/mcp-error-codes.js";
