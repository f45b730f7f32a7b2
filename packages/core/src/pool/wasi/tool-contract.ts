// TEMPORARY: the shape of core's tool contract (`src/tools/tool-definition.ts`, being added
// on another branch), copied so this folder compiles before it lands. Replaced by imports
// of the real types when it does.

/** See the tools contract. */
export type JsonSchema = Readonly<Record<string, unknown>> | boolean;

/** See the tools contract. */
export interface StandardSchemaV1<Input = unknown, Output = Input> {
  readonly "~standard": {
    readonly version: 1;
    readonly vendor: string;
    readonly validate: (value: unknown) => unknown;
    readonly types?: { readonly input: Input; readonly output: Output } | undefined;
  };
}

/** See the tools contract. */
export interface ToolCallContext {
  signal: AbortSignal | undefined;
  toolName: string;
  agent:
    | { readonly id: string; readonly templateId: string; readonly version: string; readonly digest: string }
    | undefined;
}

/** See the tools contract. */
export interface ToolDefinition<Input = unknown, Output = unknown> {
  readonly description: string;
  readonly inputSchema: JsonSchema | StandardSchemaV1<Input>;
  execute(input: Input, context: ToolCallContext): Promise<Output> | Output;
  readonly digest?: string | undefined;
}
