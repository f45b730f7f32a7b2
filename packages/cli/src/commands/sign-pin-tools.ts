import { open } from "node:fs/promises";
import { type AgentTemplate, OptionsError } from "@nextgen/core";
import { MAX_MCP_CONFIG_BYTES, type McpToolPinner, mcpToolPinner, parseMcpConfig } from "@nextgen/mcp";

/** Reads at most `MAX_MCP_CONFIG_BYTES` of the MCP config file, and one byte more to tell it was larger. */
async function readBounded(file: string): Promise<string> {
  const handle = await open(file, "r");
  try {
    const buffer = Buffer.alloc(MAX_MCP_CONFIG_BYTES + 1);
    const { bytesRead } = await handle.read(buffer, 0, buffer.length, 0);
    if (bytesRead > MAX_MCP_CONFIG_BYTES)
      throw new OptionsError("--mcp-config", `is larger than ${MAX_MCP_CONFIG_BYTES} bytes`);
    return buffer.subarray(0, bytesRead).toString("utf8");
  } finally {
    await handle.close();
  }
}

/**
 * `nextgen sign --pin-tools --mcp-config <file>`: the pinner over the servers the file
 * lists (connected on first use). @internal
 */
export async function openToolPinner(mcpConfig: string | undefined): Promise<McpToolPinner> {
  if (mcpConfig === undefined)
    throw new OptionsError("--pin-tools", "needs --mcp-config <file> listing the MCP servers to read the tools from");
  return mcpToolPinner(parseMcpConfig(await readBounded(mcpConfig)));
}

/**
 * The template with `toolPins` recording the current digest of each MCP tool
 * (`<server>/<tool>`) its own `tools` grant; every other pin is kept as it is (a pin of a
 * tool inherited through `extends` belongs to this file too, and is never dropped). @internal
 */
export async function withToolPins(template: AgentTemplate, pinner: McpToolPinner): Promise<AgentTemplate> {
  const granted = Array.isArray(template.tools) ? template.tools : [];
  const previous = (template as { toolPins?: Record<string, string> | null }).toolPins ?? {};
  const toolPins = { ...previous, ...(await pinner.digests(granted)) };
  const { toolPins: _previous, ...rest } = template as AgentTemplate & { toolPins?: unknown };
  return (Object.keys(toolPins).length === 0 ? rest : { ...rest, toolPins }) as AgentTemplate;
}
