/**
 * Every code `@nextgen/mcp` raises itself (documented in `docs/errors.md`; a test checks each
 * is raised). Tool input and options errors are core's codes.
 */
export const MCP_ERROR_CODES = ["NG_ERR_MCP_CONNECT", "NG_ERR_MCP_LIMIT", "NG_ERR_MCP_CLOSED"] as const;

/**
 * A code `@nextgen/mcp` raises, on a `NextGenError`.
 *
 * @example
 * ```ts
 * const code: McpErrorCode = "NG_ERR_MCP_CONNECT";
 * if (NextGenError.is(error, code)) reconnectLater();
 * ```
 */
export type McpErrorCode = (typeof MCP_ERROR_CODES)[number];
