import { NextGenError } from "../errors/next-gen-error.js";
import { OptionsError } from "../errors/options-error.js";

/** What a tool gets besides its input. */
export interface ToolCallContext {
  /** The run's signal: aborted on timeout, caller abort or dispose. Long tools should honour it. */
  signal: AbortSignal | undefined;
  /** Name the tool was registered under. */
  toolName: string;
}

/**
 * A tool implementation: host code a template may name but never carry. The input is
 * whatever the agent passes; validate it like any untrusted input.
 */
export type Tool = (input: never, context: ToolCallContext) => unknown;

/** The host's tools, by name. Templates can only use names registered here (default deny). */
export interface ToolRegistry {
  /** Registered names, sorted. */
  readonly names: readonly string[];
  /** Whether `name` is registered. */
  has(name: string): boolean;
  /** The implementation registered as `name`. */
  get(name: string): Tool | undefined;
}

/** The tools one agent may call: exactly those its template names. Shared by every instance of the template. */
export interface AgentTools {
  /** The template's tool names, in template order. */
  readonly names: readonly string[];
  /** Whether the template grants `name`. */
  has(name: string): boolean;
  /**
   * Calls the tool `name` with `input`. Rejects with `NG_ERR_TOOL_UNKNOWN` when the
   * template does not grant it, even if the host registered it.
   */
  call(name: string, input: unknown, options?: { signal?: AbortSignal | undefined }): Promise<unknown>;
}

const TOOL_NAME = /^[a-z0-9][a-z0-9._-]*$/i;

/**
 * Registers the host's tools. A template naming a tool that is not registered is
 * refused at load (`NG_ERR_TOOL_UNKNOWN`), so a template can never reach code the host
 * did not choose to expose.
 *
 * @example
 * ```ts
 * const tools = toolRegistry({
 *   "secret-scan": (input: { text: string }) => findSecrets(input.text),
 *   "complexity": (input: { source: string }) => countBranches(input.source),
 * });
 * ```
 */
export function toolRegistry(tools: Readonly<Record<string, Tool>>): ToolRegistry {
  if (typeof tools !== "object" || tools === null || Array.isArray(tools)) {
    throw new OptionsError("tools", "must be an object mapping tool names to functions.");
  }
  const byName = new Map<string, Tool>();
  for (const name of Object.keys(tools)) {
    if (!TOOL_NAME.test(name)) throw new OptionsError(`tools["${name}"]`, "is not a valid tool name ([a-z0-9._-]).");
    const tool = tools[name];
    if (typeof tool !== "function") throw new OptionsError(`tools["${name}"]`, "must be a function.");
    byName.set(name, tool);
  }
  const names = Object.freeze([...byName.keys()].sort());
  return Object.freeze({
    names,
    has: (name: string): boolean => byName.has(name),
    get: (name: string): Tool | undefined => byName.get(name),
  });
}

/**
 * The {@link AgentTools} of one template: checks every name against the registry
 * (throwing `NG_ERR_TOOL_UNKNOWN` naming the tool and, through `locate`, the template
 * and JSON pointer that named it) and binds them.
 * @internal
 */
export function bindTemplateTools(
  registry: ToolRegistry,
  names: readonly string[],
  locate: (name: string) => string,
): AgentTools {
  const granted = new Map<string, Tool>();
  for (const name of names) {
    const tool = registry.get(name);
    if (!tool) {
      throw new NextGenError(
        "NG_ERR_TOOL_UNKNOWN",
        `Tool "${name}" (named by ${locate(name)}) is not registered; tools are denied by default. Registered: ${registry.names.join(", ") || "none"}.`,
      );
    }
    granted.set(name, tool);
  }
  const frozenNames = Object.freeze([...names]);
  return Object.freeze({
    names: frozenNames,
    has: (name: string): boolean => granted.has(name),
    async call(name: string, input: unknown, options?: { signal?: AbortSignal | undefined }): Promise<unknown> {
      const tool = granted.get(name);
      if (!tool) {
        throw new NextGenError(
          "NG_ERR_TOOL_UNKNOWN",
          `The template does not grant tool "${name}" (it grants: ${frozenNames.join(", ") || "none"}).`,
        );
      }
      options?.signal?.throwIfAborted();
      return (tool as (input: unknown, context: ToolCallContext) => unknown)(input, {
        signal: options?.signal,
        toolName: name,
      });
    },
  });
}
