import type {
  LanguageModelV4,
  LanguageModelV4CallOptions,
  LanguageModelV4GenerateResult,
  LanguageModelV4StreamResult,
} from "@ai-sdk/provider";

/**
 * `model` with every call bound to the current run's `AbortSignal` (read through `signal()`
 * at call time): a call made after the signal aborted throws its reason before reaching the
 * provider, and the provider's request carries the signal. Built once per agent, so a run
 * does not hand the AI SDK an `abortSignal` of its own (the SDK then skips its per-step and
 * per-tool abort bookkeeping). The tool loop still stops at the next model call, tools
 * receive the signal through `AgentTools.call`, and the run itself settles at once on
 * abort or timeout (the `Agent` base class). Only for `v4` models, whose call options this
 * knows.
 *
 * @example
 * ```ts
 * const bound = signalBoundModel(model, () => currentRun.signal);
 * await generateText({ model: bound, prompt: "…" }); // aborted with the run, no abortSignal needed
 * ```
 * @internal
 */
export function signalBoundModel(model: LanguageModelV4, signal: () => AbortSignal): LanguageModelV4 {
  const bind = (options: LanguageModelV4CallOptions): LanguageModelV4CallOptions => {
    const current = signal();
    current.throwIfAborted();
    const own = options.abortSignal;
    return { ...options, abortSignal: own === undefined ? current : AbortSignal.any([current, own]) };
  };
  return {
    specificationVersion: "v4",
    get provider(): string {
      return model.provider;
    },
    get modelId(): string {
      return model.modelId;
    },
    get supportedUrls() {
      return model.supportedUrls;
    },
    doGenerate(options: LanguageModelV4CallOptions): PromiseLike<LanguageModelV4GenerateResult> {
      return model.doGenerate(bind(options));
    },
    doStream(options: LanguageModelV4CallOptions): PromiseLike<LanguageModelV4StreamResult> {
      return model.doStream(bind(options));
    },
  };
}
