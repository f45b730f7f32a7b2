import { createHash } from "node:crypto";
import { canonicalize, type JsonSchema, NextGenError } from "@nextgen/core";
import type { McpErrorCode } from "./errors/mcp-error-codes.js";
import { depthExceeds, type ResolvedLimits } from "./limits.js";

/** A tool as a server listed it (the fields this package reads). */
export interface ListedTool {
  name: string;
  description?: string | undefined;
  title?: string | undefined;
  inputSchema: unknown;
}

/** @internal One tool's current, bounded definition. */
export interface ToolState {
  readonly description: string;
  readonly inputSchema: JsonSchema;
  readonly digest: string;
}

/** `[a-z0-9][a-z0-9._-]*`: the part of a tool name on either side of the `/`. */
export const NAME_PART: RegExp = /^[a-z0-9][a-z0-9._-]*$/i;

const encoder = new TextEncoder();

/**
 * The digest a template pins: `sha256:<hex>` of the RFC 8785 form of
 * `{ description, inputSchema }` (core's `canonicalize`).
 *
 * @example
 * ```ts
 * toolDigest({ description: "Adds two numbers.", inputSchema: { type: "object" } }); // "sha256:…"
 * ```
 */
export function toolDigest(definition: { description: string; inputSchema: JsonSchema }): string {
  const bytes = canonicalize({ description: definition.description, inputSchema: definition.inputSchema });
  return `sha256:${createHash("sha256").update(bytes).digest("hex")}`;
}

function limitError(server: string, tool: string, what: string): NextGenError<McpErrorCode> {
  return new NextGenError<McpErrorCode>("NG_ERR_MCP_LIMIT", `MCP server "${server}" tool "${tool}": ${what}`);
}

/**
 * @internal Checks one listed tool against the limits and returns its definition state,
 * or throws `NG_ERR_MCP_LIMIT` saying which bound it broke.
 */
export function toolState(server: string, tool: ListedTool, limits: ResolvedLimits): ToolState {
  if (typeof tool.name !== "string" || !NAME_PART.test(tool.name) || tool.name.length > 128)
    throw limitError(server, String(tool.name).slice(0, 64), "the name is not [a-z0-9][a-z0-9._-]* (at most 128)");
  const description =
    typeof tool.description === "string" && tool.description !== ""
      ? tool.description
      : typeof tool.title === "string" && tool.title !== ""
        ? tool.title
        : tool.name;
  if (encoder.encode(description).byteLength > limits.maxDescriptionBytes)
    throw limitError(server, tool.name, `the description is larger than ${limits.maxDescriptionBytes} bytes`);
  const schema = tool.inputSchema;
  if (typeof schema !== "object" || schema === null || Array.isArray(schema))
    throw limitError(server, tool.name, "the input schema is not a JSON object");
  if (depthExceeds(schema, limits.maxSchemaDepth))
    throw limitError(server, tool.name, `the input schema is nested deeper than ${limits.maxSchemaDepth}`);
  let schemaBytes: Uint8Array;
  try {
    schemaBytes = canonicalize(schema);
  } catch (error) {
    throw new NextGenError<McpErrorCode>(
      "NG_ERR_MCP_LIMIT",
      `MCP server "${server}" tool "${tool.name}": the input schema is not JSON`,
      {
        cause: error,
      },
    );
  }
  if (schemaBytes.byteLength > limits.maxSchemaBytes)
    throw limitError(server, tool.name, `the input schema is larger than ${limits.maxSchemaBytes} bytes`);
  const inputSchema = Object.freeze(JSON.parse(new TextDecoder().decode(schemaBytes))) as JsonSchema;
  return Object.freeze({ description, inputSchema, digest: toolDigest({ description, inputSchema }) });
}
