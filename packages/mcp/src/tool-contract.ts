// TEMPORARY: the tool contract of `@nextgen/core` (TOOLS-CONTRACT, issue 14), copied until
// core ships it; then these names are imported from "@nextgen/core" instead.

/** A JSON Schema (2020-12 subset): an object or a boolean. */
export type JsonSchema = Readonly<Record<string, unknown>> | boolean;

/** Who is calling a tool. */
export interface ToolCallAgent {
  readonly id: string;
  readonly templateId: string;
  readonly version: string;
  readonly digest: string;
}

/** What a tool gets besides its input. */
export interface ToolCallContext {
  signal: AbortSignal | undefined;
  toolName: string;
  agent: ToolCallAgent | undefined;
}

/** A tool a model can call. */
export interface ToolDefinition<Input = unknown, Output = unknown> {
  readonly description: string;
  readonly inputSchema: JsonSchema;
  execute(input: Input, context: ToolCallContext): Promise<Output> | Output;
  readonly digest?: string | undefined;
}

/** A callable tool. */
export type Tool = (input: never, context: ToolCallContext) => unknown;

/** The host's tools, by name. */
export interface ToolRegistry {
  readonly names: readonly string[];
  has(name: string): boolean;
  get(name: string): Tool | undefined;
  definition(name: string): ToolDefinition | undefined;
  close?(): Promise<void>;
}
