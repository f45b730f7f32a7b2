/** An MCP tool result as returned to the agent: `content`, optional `structuredContent`, `isError`. */
export interface McpToolResult {
  content: Array<Record<string, unknown>>;
  structuredContent?: Record<string, unknown>;
  isError?: boolean;
}

/** @internal A result reporting an error in text, so the model can read it and react. */
export function errorResult(text: string): McpToolResult {
  return { content: [{ type: "text", text }], isError: true };
}

const encoder = new TextEncoder();

/**
 * @internal Keeps only `content`, `structuredContent` and `isError` of a server's result,
 * and replaces a result larger than `maxBytes` (its JSON) with an error result.
 */
export function boundedResult(result: Record<string, unknown>, maxBytes: number, toolName: string): McpToolResult {
  const kept: McpToolResult = {
    content: Array.isArray(result.content) ? (result.content as McpToolResult["content"]) : [],
  };
  if (typeof result.structuredContent === "object" && result.structuredContent !== null)
    kept.structuredContent = result.structuredContent as Record<string, unknown>;
  if (result.isError === true) kept.isError = true;
  const size = encoder.encode(JSON.stringify(kept)).byteLength;
  if (size > maxBytes)
    return errorResult(`${toolName}: the result (${size} bytes) is larger than the ${maxBytes}-byte limit`);
  return kept;
}
