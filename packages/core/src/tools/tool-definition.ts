import { OptionsError } from "../errors/options-error.js";

/** A JSON Schema (the 2020-12 subset core checks: see `docs/agents.md`): an object or a boolean. */
export type JsonSchema = Readonly<Record<string, unknown>> | boolean;

/**
 * The Standard Schema v1 interface (https://standardschema.dev), which zod, valibot,
 * arktype and others implement. Copied, as the spec asks, so core needs no dependency.
 */
export interface StandardSchemaV1<Input = unknown, Output = Input> {
  /** The Standard Schema properties. */
  readonly "~standard": {
    /** Always 1. */
    readonly version: 1;
    /** The library that made the schema. */
    readonly vendor: string;
    /** Validates an unknown value: the parsed value, or issues. */
    readonly validate: (value: unknown) => StandardSchemaV1Result<Output> | Promise<StandardSchemaV1Result<Output>>;
    /** Inferred types, for type-level use only. */
    readonly types?: { readonly input: Input; readonly output: Output } | undefined;
  };
}

/** The result of a Standard Schema `validate`. */
export type StandardSchemaV1Result<Output> =
  | { readonly value: Output; readonly issues?: undefined }
  | {
      readonly issues: ReadonlyArray<{
        readonly message: string;
        readonly path?: ReadonlyArray<PropertyKey | { readonly key: PropertyKey }> | undefined;
      }>;
    };

/** Who is calling a tool: the agent instance and the template it was created from. */
export interface ToolCallAgent {
  /** Instance id. */
  readonly id: string;
  /** Template id. */
  readonly templateId: string;
  /** Template version. */
  readonly version: string;
  /** Template digest (`sha256:<hex>`). */
  readonly digest: string;
}

/** What a tool gets besides its input. */
export interface ToolCallContext {
  /** The run's signal: aborted on timeout, caller abort or dispose. Long tools should honour it. */
  signal: AbortSignal | undefined;
  /** Name the tool was registered under. */
  toolName: string;
  /** The calling agent, when the call comes from one (`undefined` for a direct registry call). */
  agent: ToolCallAgent | undefined;
}

/**
 * A tool a model can call: what it does (`description`), the shape of its input
 * (`inputSchema`), and the host code that runs it. Arguments are validated against
 * `inputSchema` before `execute` runs; invalid ones never reach it.
 */
export interface ToolDefinition<Input = unknown, Output = unknown> {
  /** What the tool does, for the model. */
  readonly description: string;
  /** JSON Schema object (2020-12 subset), or any Standard Schema (zod …: `~standard`). */
  readonly inputSchema: JsonSchema | StandardSchemaV1<Input>;
  /** Runs the tool with validated input. */
  execute(input: Input, context: ToolCallContext): Promise<Output> | Output;
  /**
   * Optional identity a template can pin (`"sha256:<hex>"`): for MCP the digest of the RFC
   * 8785 form of `{ description, inputSchema }`, for WASI the SHA-256 of the module bytes.
   * It may change over time, so it is read again at each call.
   */
  readonly digest?: string | undefined;
}

/** Whether `value` implements Standard Schema v1. */
export function isStandardSchema(value: unknown): value is StandardSchemaV1 {
  if ((typeof value !== "object" && typeof value !== "function") || value === null) return false;
  const standard = (value as { "~standard"?: unknown })["~standard"];
  return (
    typeof standard === "object" &&
    standard !== null &&
    (standard as { version?: unknown }).version === 1 &&
    typeof (standard as { validate?: unknown }).validate === "function"
  );
}

/** Whether `value` looks like a {@link ToolDefinition} (rather than a plain function). */
export function isToolDefinition(value: unknown): value is ToolDefinition {
  return (
    typeof value === "object" &&
    value !== null &&
    typeof (value as { execute?: unknown }).execute === "function" &&
    "inputSchema" in value
  );
}

const DIGEST = /^sha256:[0-9a-f]{64}$/;

/**
 * Defines a tool a model can call. The definition is checked (a description, an
 * `inputSchema` that is a JSON Schema object or boolean or a Standard Schema, an
 * `execute` function, a well-formed `digest`) and returned as is; types flow from a Standard
 * Schema's input type to `execute`.
 *
 * @throws {OptionsError} `NG_ERR_OPTIONS_INVALID` naming the bad field.
 * @example
 * ```ts
 * import { defineTool, toolRegistry } from "@nextgen/core";
 *
 * const readFile = defineTool({
 *   description: "Reads a UTF-8 file below the workspace.",
 *   inputSchema: { type: "object", properties: { path: { type: "string" } }, required: ["path"] },
 *   execute: async (input: { path: string }, { signal }) => readFromWorkspace(input.path, signal),
 * });
 * const tools = toolRegistry({ "read-file": readFile });
 * ```
 */
export function defineTool<Input, Output>(definition: ToolDefinition<Input, Output>): ToolDefinition<Input, Output> {
  if (typeof definition !== "object" || definition === null) {
    throw new OptionsError("definition", "must be an object { description, inputSchema, execute }.");
  }
  if (typeof definition.description !== "string" || definition.description.length === 0) {
    throw new OptionsError("definition.description", "must be a non-empty string.");
  }
  const schema = definition.inputSchema;
  if (typeof schema !== "boolean" && !isStandardSchema(schema) && (typeof schema !== "object" || schema === null)) {
    throw new OptionsError("definition.inputSchema", "must be a JSON Schema object or boolean, or a Standard Schema.");
  }
  if (typeof definition.execute !== "function") throw new OptionsError("definition.execute", "must be a function.");
  const digest = definition.digest;
  if (digest !== undefined && (typeof digest !== "string" || !DIGEST.test(digest))) {
    throw new OptionsError("definition.digest", 'must be "sha256:" and 64 lowercase hex digits.');
  }
  // Returned as is (not copied): a `digest` getter must stay live for pins checked per call.
  return definition;
}
