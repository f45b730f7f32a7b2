import type { LanguageModelV4 } from "@ai-sdk/provider";
import { type JsonSchema, OptionsError, type ResolvedTemplate } from "@nextgen/core";
import { DEFAULT_MAX_STEPS } from "@nextgen/core/internal";
import { isStepCount, jsonSchema, type ModelMessage, Output, type ToolSet } from "ai";
import type { AiInput } from "./ai-types.js";
import type { LanguageModelObject } from "./model-registry.js";
import { signalBoundModel } from "./signal-bound-model.js";

/** What every run of one agent hands the AI SDK, apart from the prompt and the model wrapper. */
export interface RunCall {
  readonly tools: ToolSet;
  readonly stopWhen: ReturnType<typeof isStepCount>;
  /** Ours apply (`config.maxRetries`), so the two never multiply. */
  readonly maxRetries: 0;
  readonly instructions?: string | undefined;
  readonly temperature?: number | undefined;
  readonly maxOutputTokens?: number | undefined;
  readonly output?: ReturnType<typeof Output.object> | undefined;
}

/** The settings of one agent's runs, computed once: its template is frozen. @internal */
export interface RunSettings {
  /** The template's model as the registry resolved it. */
  readonly model: LanguageModelObject;
  /** `model` bound to the current run's signal; `undefined` for a model older than `v4`. */
  readonly boundModel: LanguageModelV4 | undefined;
  /** The template's `output` schema, when it has one. */
  readonly schema: Exclude<JsonSchema, boolean> | undefined;
  /** Everything else of the call. */
  readonly call: RunCall;
}

/**
 * Builds an agent's {@link RunSettings} from its template: instructions, `config.maxSteps`,
 * temperature, max tokens, the output schema and the tools. Run once per agent (the
 * template never changes), so a run only adds its prompt and its signal.
 *
 * @example
 * ```ts
 * const settings = runSettings(template, models.resolve("fast"), tools.tools, () => context.signal);
 * await generateText({ ...settings.call, model: settings.boundModel ?? settings.model, prompt: "…" });
 * ```
 * @internal
 */
export function runSettings(
  template: ResolvedTemplate,
  model: LanguageModelObject,
  tools: ToolSet,
  signal: () => AbortSignal,
): RunSettings {
  const { config, instructions, output } = template;
  const schema = typeof output === "object" ? output : undefined;
  const call: RunCall = {
    tools,
    stopWhen: isStepCount(config.maxSteps ?? DEFAULT_MAX_STEPS),
    maxRetries: 0,
    ...(instructions === undefined ? {} : { instructions }),
    ...(config.temperature === undefined ? {} : { temperature: config.temperature }),
    ...(config.maxTokens === undefined ? {} : { maxOutputTokens: config.maxTokens }),
    ...(schema === undefined ? {} : { output: outputOf(schema) }),
  };
  const v4 = model.specificationVersion === "v4" ? (model as LanguageModelV4) : undefined;
  // Not frozen: each run spreads `call`, and V8 copies a frozen object on a slow path.
  return { model, boundModel: v4 === undefined ? undefined : signalBoundModel(v4, signal), schema, call };
}

/**
 * The AI SDK output of each template `output` schema, built once per schema object: a service
 * creates an agent per request from the same frozen template, and the SDK's output (its
 * schema wrapper and response-format promise) holds nothing of a run.
 */
const outputs = new WeakMap<object, ReturnType<typeof Output.object>>();

function outputOf(schema: Exclude<JsonSchema, boolean>): ReturnType<typeof Output.object> {
  let output = outputs.get(schema);
  if (output === undefined) {
    output = Output.object({ schema: jsonSchema(schema) });
    outputs.set(schema, output);
  }
  return output;
}

/** The prompt part of a call: a prompt string, or a copy of the conversation. @internal */
export function promptOf(input: AiInput): { prompt: string } | { messages: ModelMessage[] } {
  if (typeof input === "string") return { prompt: input };
  if (typeof input === "object" && input !== null && Array.isArray(input.messages))
    return { messages: [...input.messages] };
  throw new OptionsError("input", "must be a prompt string or { messages }.");
}
