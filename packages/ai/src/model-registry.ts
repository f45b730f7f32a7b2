import { NextGenError, OptionsError } from "@nextgen/core";
import type { LanguageModel } from "ai";

/** A language model object (any AI SDK provider's, or a mock): not a bare string id. */
export type LanguageModelObject = Exclude<LanguageModel, string>;

/** Anything that makes language models by id: an AI SDK provider or `createProviderRegistry(…)`. */
export interface LanguageModelProvider {
  /** Returns the model with this id; throws when there is none. */
  languageModel(modelId: string): LanguageModelObject;
}

/**
 * The models a host lets templates name: `config.model` must be a key here (an alias
 * such as `"fast"`), or `<key>/<id>` for a provider registered under `key`
 * (`"openai/gpt-4o"`). Every other name is refused at load (`NG_ERR_MODEL_UNKNOWN`).
 */
export interface ModelRegistry {
  /** Registered names, sorted; a provider shows as `<key>/*`. */
  readonly names: readonly string[];
  /** Whether `name` resolves to a model. */
  has(name: string): boolean;
  /** The model `name` resolves to. @throws `NG_ERR_MODEL_UNKNOWN` */
  resolve(name: string): LanguageModelObject;
}

function isModel(value: unknown): value is LanguageModelObject {
  return (
    typeof value === "object" &&
    value !== null &&
    typeof (value as { specificationVersion?: unknown }).specificationVersion === "string" &&
    typeof (value as { doGenerate?: unknown }).doGenerate === "function"
  );
}

function isProvider(value: unknown): value is LanguageModelProvider {
  return (
    (typeof value === "object" || typeof value === "function") &&
    value !== null &&
    typeof (value as { languageModel?: unknown }).languageModel === "function"
  );
}

const KEY = /^[A-Za-z0-9][A-Za-z0-9._:-]{0,127}$/;

/**
 * Registers the models templates may name. Values are AI SDK language models (an alias
 * names exactly one model) or providers / provider registries (the key is a prefix:
 * `"openai/gpt-4o"` asks `provider.languageModel("gpt-4o")`). Register `default` for
 * templates that name no model.
 *
 * @throws {OptionsError} for a bad key or a value that is neither a model nor a provider.
 * @example
 * ```ts
 * import { createOpenAI } from "@ai-sdk/openai";
 * import { modelRegistry } from "@nextgen/ai";
 *
 * const openai = createOpenAI({ apiKey: process.env.OPENAI_API_KEY });
 * const models = modelRegistry({ fast: openai("gpt-4o-mini"), reasoning: openai("o3"), openai });
 * models.has("openai/gpt-4o"); // true
 * ```
 */
export function modelRegistry(
  models: Readonly<Record<string, LanguageModelObject | LanguageModelProvider>>,
): ModelRegistry {
  if (typeof models !== "object" || models === null || Array.isArray(models)) {
    throw new OptionsError("models", "must map model names to AI SDK language models or providers.");
  }
  const exact = new Map<string, LanguageModelObject>();
  const providers = new Map<string, LanguageModelProvider>();
  for (const [key, value] of Object.entries(models)) {
    if (!KEY.test(key)) throw new OptionsError(`models["${key}"]`, "is not a valid model name.");
    if (isModel(value)) exact.set(key, value);
    else if (isProvider(value)) providers.set(key, value);
    else
      throw new OptionsError(`models["${key}"]`, "must be an AI SDK language model or a provider (languageModel(id)).");
  }
  const resolved = new Map<string, LanguageModelObject | undefined>();
  const lookup = (name: string): LanguageModelObject | undefined => {
    if (typeof name !== "string") return undefined;
    const model = exact.get(name);
    if (model !== undefined) return model;
    if (resolved.has(name)) return resolved.get(name);
    const slash = name.indexOf("/");
    const provider = slash > 0 ? providers.get(name.slice(0, slash)) : undefined;
    let found: LanguageModelObject | undefined;
    if (provider !== undefined && slash < name.length - 1) {
      try {
        found = provider.languageModel(name.slice(slash + 1));
      } catch {
        found = undefined; // the provider does not know this id: refused like any unknown name
      }
    }
    if (resolved.size < 1000) resolved.set(name, found);
    return found;
  };
  const names = Object.freeze([...exact.keys(), ...[...providers.keys()].map((key) => `${key}/*`)].sort());
  return Object.freeze({
    names,
    has: (name: string): boolean => lookup(name) !== undefined,
    resolve(name: string): LanguageModelObject {
      const model = lookup(name);
      if (model === undefined) {
        throw new NextGenError(
          "NG_ERR_MODEL_UNKNOWN",
          `Model "${name}" is not registered; models are denied by default. Registered: ${names.join(", ") || "none"}.`,
        );
      }
      return model;
    },
  });
}
