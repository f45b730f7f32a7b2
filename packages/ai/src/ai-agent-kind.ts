import { tracingChannel } from "node:diagnostics_channel";
import {
  Agent,
  type AgentInit,
  GENAI_MODEL_CALL_CHANNEL,
  NextGenError,
  OptionsError,
  type RunContext,
  type RunOptions,
} from "@nextgen/core";
import { generateText, NoObjectGeneratedError, streamText } from "ai";
import type { AiInput, AiRunResult, AiStream, AiStreamEvent } from "./ai-types.js";
import type { AiErrorCode } from "./errors/ai-error-codes.js";
import { EventQueue } from "./event-queue.js";
import type { LanguageModelObject, ModelRegistry } from "./model-registry.js";
import { promptOf, type RunSettings, runSettings } from "./run-call.js";
import { finish, outputOf } from "./run-output.js";
import { runResult } from "./run-result.js";
import { type RunTools, runTools } from "./run-tools.js";
import { sdkTelemetry } from "./sdk-telemetry.js";
import { tracedModel } from "./traced-model.js";

const modelCalls = tracingChannel(GENAI_MODEL_CALL_CHANNEL);

/** Options of {@link aiAgentKind}. */
export interface AiAgentKindOptions {
  /** The models templates may name (`modelRegistry({...})`); others are refused at load. */
  models: ModelRegistry;
  /**
   * Record prompts and completions on the GenAI model-call spans. Off by default: they
   * can hold personal data and secrets.
   * @default false
   */
  recordContent?: boolean;
}

/** An agent that runs its template's model with its tools: `run(input)` and `stream(input)`. */
export interface AiAgent<Output = unknown> extends Agent<AiInput, AiRunResult<Output>> {
  /** Runs the tool loop under `config.timeoutMs`, `config.maxRetries` and `options.signal`. */
  run(input: AiInput, options?: RunOptions): Promise<AiRunResult<Output>>;
  /** Like `run`, yielding text deltas and tool events as they happen, then `finish`. */
  stream(input: AiInput, options?: RunOptions): AiStream<Output>;
}

/** The class `aiAgentKind` returns: register it in the factory's `kinds`. */
export interface AiAgentKind<Output = unknown> {
  new (init: AgentInit): AiAgent<Output>;
  /** The model names templates of this kind may use. */
  readonly models: ModelRegistry;
}

/**
 * An agent kind that turns a signed template into a model-driven agent: the template's
 * `instructions` are the system prompt, `config.model` picks the model from `models`
 * (unknown names are refused at load), its tools with a definition and its `agents` are
 * offered to the model, `config.maxSteps` bounds the loop, `config.temperature` and
 * `config.maxTokens` apply, and the answer must satisfy `output`. The AI SDK's own retries
 * are off: `config.maxRetries`, `config.timeoutMs` and the caller's signal apply, once.
 * `Output` types `result.output` for templates of this kind.
 *
 * @example
 * ```ts
 * import { aiAgentKind, modelRegistry } from "@nextgen/ai";
 *
 * const factory = createAgentFactory({ source, trust, tools, kinds: { specialist: aiAgentKind({ models: modelRegistry({ fast }) }) } });
 * const agent = await factory.create("security/auditor");
 * const { text, output, toolCalls } = await agent.run("Review this diff: …");
 * ```
 */
export function aiAgentKind<Output = unknown>(options: AiAgentKindOptions): AiAgentKind<Output> {
  if (typeof options !== "object" || options === null) throw new OptionsError("options", "must be { models }.");
  const { models } = options;
  if (typeof models?.has !== "function" || typeof models.resolve !== "function") {
    throw new OptionsError("options.models", "must be a model registry from modelRegistry({...}).");
  }
  const recordContent = options.recordContent === true;
  // Without a subscriber the model is called as is: telemetry costs nothing when unused.
  const traced = (model: LanguageModelObject, modelName: string, context: RunContext) =>
    modelCalls.hasSubscribers ? tracedModel(model, modelName, context, recordContent) : model;

  class ModelDrivenAgent extends Agent<AiInput, AiRunResult<Output>> implements AiAgent<Output> {
    static readonly models: ModelRegistry = models;
    #sink: EventQueue<AiStreamEvent<Output>> | undefined;
    // Built once per agent: the template is frozen, and one run at a time reads `#context`.
    #tools: RunTools | undefined;
    #settings: RunSettings | undefined;
    #context: RunContext | undefined;

    stream(input: AiInput, runOptions?: RunOptions): AiStream<Output> {
      const controller = new AbortController();
      const outer = runOptions?.signal;
      const onAbort = (): void => controller.abort(outer?.reason);
      outer?.addEventListener("abort", onAbort, { once: true });
      if (outer?.aborted) onAbort();
      const sink = new EventQueue<AiStreamEvent<Output>>(() =>
        controller.abort(new NextGenError("NG_ERR_AGENT_ABORTED", "The stream's consumer stopped reading.")),
      );
      const busy = this.state === "running";
      if (!busy) this.#sink = sink;
      const result = this.run(input, { signal: controller.signal }).then(
        (value) => {
          sink.push({ type: "finish", result: value });
          sink.end();
          return value;
        },
        (error: unknown) => {
          sink.fail(error);
          throw error;
        },
      );
      result
        .finally(() => {
          outer?.removeEventListener("abort", onAbort);
          if (this.#sink === sink) this.#sink = undefined;
        })
        .catch(() => {});
      return { result, [Symbol.asyncIterator]: () => sink[Symbol.asyncIterator]() };
    }

    protected async execute(input: AiInput, context: RunContext): Promise<AiRunResult<Output>> {
      const template = context.template;
      const modelName = template.config.model ?? "default";
      this.#context = context;
      const prompt = promptOf(input);
      if (this.#settings === undefined) {
        const current = (): RunContext => this.#context!;
        this.#tools = runTools(this as Agent<never, unknown>, this.tools, current);
        this.#settings = runSettings(template, models.resolve(modelName), this.#tools.tools, () => current().signal);
      }
      const tools = this.#tools!;
      const settings = this.#settings;
      const schema = settings.schema;
      try {
        const sink = this.#sink;
        if (sink === undefined) {
          // A v4 model bound to the run's signal: the SDK needs no abortSignal of its own.
          const bound = settings.boundModel;
          const model = traced(bound ?? settings.model, modelName, context);
          const result =
            bound === undefined
              ? await generateText({
                  ...settings.call,
                  ...prompt,
                  model,
                  abortSignal: context.signal,
                  telemetry: sdkTelemetry(),
                })
              : await generateText({ ...settings.call, ...prompt, model, telemetry: sdkTelemetry() });
          const parsed = schema === undefined ? undefined : await outputOf(() => result.output);
          return finish<Output>(runResult(result.steps, tools, this.identity), parsed, schema, context);
        }
        if (context.attempt > 1) sink.push({ type: "retry", attempt: context.attempt });
        // A stream keeps the SDK's own abort handling: it ends a provider stream that ignores the signal.
        const model = traced(settings.model, modelName, context);
        const streamed = streamText({
          ...settings.call,
          ...prompt,
          model,
          abortSignal: context.signal,
          telemetry: sdkTelemetry(),
          onError: () => {},
        });
        for await (const part of streamed.stream) {
          if (context.signal.aborted) break;
          const event = streamEvent(part, tools.names.fromProvider);
          if (event) sink.push(event as AiStreamEvent<Output>);
          if (part.type === "error") throw part.error;
          if (part.type === "abort") context.signal.throwIfAborted();
        }
        context.signal.throwIfAborted();
        const steps = await streamed.steps;
        const parsed = schema === undefined ? undefined : await outputOf(() => streamed.output);
        return finish<Output>(runResult(steps, tools, this.identity), parsed, schema, context);
      } catch (error) {
        if (NoObjectGeneratedError.isInstance(error)) {
          throw new NextGenError<AiErrorCode>(
            "NG_ERR_AGENT_OUTPUT_INVALID",
            `The answer of ${template.id}@${template.version} is not the JSON its output schema asks for: ${error.message}`,
            { cause: error },
          );
        }
        throw error;
      }
    }
  }
  return ModelDrivenAgent as unknown as AiAgentKind<Output>;
}

function streamEvent(
  part: { type: string } & Record<string, unknown>,
  fromProvider: (name: string) => string | undefined,
) {
  const toolName = (): string => {
    const name = String(part.toolName);
    return fromProvider(name) ?? name;
  };
  switch (part.type) {
    case "text-delta":
      return { type: "text-delta", text: String(part.text) } as const;
    case "tool-call":
      return {
        type: "tool-call",
        toolName: toolName(),
        toolCallId: String(part.toolCallId),
        input: part.input,
      } as const;
    case "tool-result":
      return {
        type: "tool-result",
        toolName: toolName(),
        toolCallId: String(part.toolCallId),
        output: part.output,
      } as const;
    case "tool-error":
      return {
        type: "tool-error",
        toolName: toolName(),
        toolCallId: String(part.toolCallId),
        error: part.error instanceof Error ? part.error.message : String(part.error),
      } as const;
    default:
      return undefined;
  }
}
