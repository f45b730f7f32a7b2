import type { FinishReason, ModelMessage } from "ai";

/** What `agent.run` and `agent.stream` take: a prompt, or a conversation (no system messages). */
export type AiInput = string | { readonly messages: readonly ModelMessage[] };

/** Token counts of a run or a step (`undefined` when the provider did not report one). */
export interface AiUsage {
  /** Prompt tokens. */
  readonly inputTokens: number | undefined;
  /** Completion tokens. */
  readonly outputTokens: number | undefined;
  /** Both. */
  readonly totalTokens: number | undefined;
}

/** One tool call the model made, with its outcome. */
export interface AiToolCall {
  /** The registry name of the tool (mapped back from the provider's name). */
  readonly toolName: string;
  /** For a delegation: the template id of the sub-agent. */
  readonly delegate?: string;
  /** The provider's id of the call. */
  readonly toolCallId: string;
  /** The arguments the model sent. */
  readonly input: unknown;
  /** What the tool returned (absent when it failed or was refused). */
  readonly output?: unknown;
  /** Why the call failed or was refused (what the model was told). */
  readonly error?: string;
}

/** One model call of the tool loop. */
export interface AiStep {
  /** Text the model produced in this step. */
  readonly text: string;
  /** Tool calls of this step. */
  readonly toolCalls: readonly AiToolCall[];
  /** Why the step ended. */
  readonly finishReason: FinishReason;
  /** Tokens of this step. */
  readonly usage: AiUsage;
}

/** What a run resolves to. */
export interface AiRunResult<Output = unknown> {
  /** The final text. */
  readonly text: string;
  /** The final answer parsed and validated against the template's `output` schema (`undefined` without one). */
  readonly output: Output | undefined;
  /** Every model call, in order. */
  readonly steps: readonly AiStep[];
  /** Every tool call of every step, in order. */
  readonly toolCalls: readonly AiToolCall[];
  /** Tokens of all steps. */
  readonly usage: AiUsage;
  /** Why the run ended (`tool-calls` when `config.maxSteps` cut the loop). */
  readonly finishReason: FinishReason;
}

/** What `agent.stream` yields. */
export type AiStreamEvent<Output = unknown> =
  | { readonly type: "text-delta"; readonly text: string }
  | { readonly type: "tool-call"; readonly toolName: string; readonly toolCallId: string; readonly input: unknown }
  | { readonly type: "tool-result"; readonly toolName: string; readonly toolCallId: string; readonly output: unknown }
  | { readonly type: "tool-error"; readonly toolName: string; readonly toolCallId: string; readonly error: string }
  | { readonly type: "step-finish"; readonly finishReason: FinishReason; readonly usage: AiUsage }
  | { readonly type: "retry"; readonly attempt: number }
  | { readonly type: "finish"; readonly result: AiRunResult<Output> };

/** An `agent.stream` in progress: iterate the events; `result` settles like `run` would. */
export interface AiStream<Output = unknown> extends AsyncIterable<AiStreamEvent<Output>> {
  /** The run's result (rejects like `agent.run`). */
  readonly result: Promise<AiRunResult<Output>>;
}
