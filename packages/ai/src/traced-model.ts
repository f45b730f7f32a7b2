import type { LanguageModelV4, LanguageModelV4StreamPart, LanguageModelV4Usage } from "@ai-sdk/provider";
import type { GenAiModelCallContext, RunContext } from "@nextgen/core";
import { traceModelCall } from "@nextgen/core/internal";
import { wrapLanguageModel } from "ai";
import type { LanguageModelObject } from "./model-registry.js";

/**
 * The run's model with one `nextgen:genai.model.call` trace per call (one per step of the
 * tool loop), carrying the request model, the provider, token usage, the finish reason and,
 * for streams, the time to the first text. Prompt and completion are recorded only when
 * `recordContent` is set. Without a subscriber each call goes straight through.
 * @internal
 */
export function tracedModel(
  model: LanguageModelObject,
  modelName: string,
  run: RunContext,
  recordContent: boolean,
): LanguageModelV4 {
  let step = 0;
  const fields = (streamed: boolean, prompt: unknown): GenAiModelCallContext => ({
    instanceId: run.agent.id,
    templateId: run.template.id,
    agentName: run.template.name,
    version: run.template.version,
    model: modelName,
    provider: (model as { provider?: string }).provider ?? "unknown",
    step: ++step,
    streamed,
    ...(recordContent ? { content: { input: prompt } } : {}),
  });
  return wrapLanguageModel({
    model: model as LanguageModelV4,
    middleware: {
      specificationVersion: "v4",
      wrapGenerate: ({ doGenerate, params }) =>
        traceModelCall(
          () => fields(false, params.prompt),
          async (context) => {
            const result = await doGenerate();
            if (context) {
              setUsage(context, result.usage, result.finishReason.unified, result.response?.modelId);
              if (context.content) context.content.output = result.content;
            }
            return result;
          },
        ),
      wrapStream: async ({ doStream, params }) => {
        const started = performance.now();
        let settle: (() => void) | undefined;
        let fail: ((error: unknown) => void) | undefined;
        let traced: GenAiModelCallContext | undefined;
        // The trace spans the whole stream: it settles when the stream ends, not when it opens.
        const done = traceModelCall(
          () => fields(true, params.prompt),
          (context) => {
            traced = context;
            return new Promise<void>((resolve, reject) => {
              settle = resolve;
              fail = reject;
            });
          },
        );
        done.catch(() => {});
        let result: Awaited<ReturnType<typeof doStream>>;
        try {
          result = await doStream();
        } catch (error) {
          fail?.(error);
          throw error;
        }
        // A consumer that stops reading cancels the stream without a flush: end the trace on abort.
        params.abortSignal?.addEventListener("abort", () => fail?.(params.abortSignal?.reason), { once: true });
        const text: string[] = [];
        const observe = new TransformStream<LanguageModelV4StreamPart, LanguageModelV4StreamPart>({
          transform(part, controller) {
            if (traced) {
              if (part.type === "text-delta") {
                traced.timeToFirstTokenMs ??= performance.now() - started;
                if (traced.content) text.push(part.delta);
              } else if (part.type === "response-metadata" && part.modelId) traced.responseModel = part.modelId;
              else if (part.type === "finish") setUsage(traced, part.usage, part.finishReason.unified, undefined);
              else if (part.type === "error") fail?.(part.error);
            }
            controller.enqueue(part);
          },
          flush() {
            if (traced?.content) traced.content.output = text.join("");
            settle?.();
          },
        });
        return { ...result, stream: result.stream.pipeThrough(observe) };
      },
    },
  });
}

function setUsage(
  context: GenAiModelCallContext,
  usage: LanguageModelV4Usage,
  finishReason: string,
  responseModel: string | undefined,
): void {
  if (usage.inputTokens.total !== undefined) context.inputTokens = usage.inputTokens.total;
  if (usage.outputTokens.total !== undefined) context.outputTokens = usage.outputTokens.total;
  context.finishReason = finishReason;
  if (responseModel !== undefined) context.responseModel = responseModel;
}
