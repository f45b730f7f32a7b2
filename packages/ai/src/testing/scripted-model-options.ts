/** One tool result a {@link ScriptedModelOptions.answer} reads back from the conversation. */
export interface ScriptedToolResult {
  /** The provider-facing tool name the result answers. */
  readonly toolName: string;
  /** The result: a JSON value, or the text of a text result. */
  readonly output: unknown;
}

/** Options of `scriptedModel`; every field is optional. */
export interface ScriptedModelOptions {
  /**
   * The model id it reports (traces, usage records).
   * @default "scripted"
   */
  readonly modelId?: string;
  /**
   * How long each model call takes, in milliseconds; a cancelled run stops the wait.
   * @default 0
   */
  readonly latencyMs?: number;
  /**
   * The arguments of the call to `toolName` on the first step, given the text of the last user
   * message. Default: `{ task: request }` for a delegation (`delegate_…`), else `{ text: request }`.
   */
  readonly toolInput?: (toolName: string, request: string) => unknown;
  /**
   * The final answer, from every tool result of the conversation. Default: a count of the
   * findings (`severity` members of JSON array results), e.g. `2 finding(s) (1 low, 1 critical).`,
   * or `No findings.`.
   */
  readonly answer?: (results: readonly ScriptedToolResult[]) => string;
}
