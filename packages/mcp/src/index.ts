// Public API of @nextgen/mcp, listed by name.

export type { McpToolResult } from "./call-result.js";
export type { McpLimits } from "./limits.js";
export type { McpTransportSource } from "./mcp-connection.js";
export type { McpToolRegistry, McpToolsOptions } from "./mcp-tools.js";
export { mcpTools } from "./mcp-tools.js";
export { toolDigest } from "./tool-state.js";
