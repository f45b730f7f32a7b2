/** Codes raised by `@nextgen/mcp` (MCP servers' tools) and `@nextgen/a2a` (agent cards, A2A handler). */
export const INTEROP_ERROR_CODES = [
  "NG_ERR_MCP_CONNECT",
  "NG_ERR_MCP_LIMIT",
  "NG_ERR_MCP_CLOSED",
  "NG_ERR_A2A_CARD_INVALID",
  "NG_ERR_A2A_REQUEST_INVALID",
] as const;
