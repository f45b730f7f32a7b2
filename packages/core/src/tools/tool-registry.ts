import { NextGenError } from "../errors/next-gen-error.js";
import { OptionsError } from "../errors/options-error.js";
import { jsonSchemaProblems } from "./json-schema-subset.js";
import {
  isStandardSchema,
  isToolDefinition,
  type ToolCallAgent,
  type ToolCallContext,
  type ToolDefinition,
} from "./tool-definition.js";
import { validatedExecute } from "./validate-tool-input.js";

export type { ToolCallAgent, ToolCallContext } from "./tool-definition.js";

/**
 * A tool implementation: host code a template may name but never carry. The input is
 * whatever the agent passes; validate it like any untrusted input (or use
 * `defineTool`, whose input is validated before `execute`).
 */
export type Tool = (input: never, context: ToolCallContext) => unknown;

/** The host's tools, by name. Templates can only use names registered here (default deny). */
export interface ToolRegistry {
  /** Registered names, sorted. */
  readonly names: readonly string[];
  /** Whether `name` is registered. */
  has(name: string): boolean;
  /** The callable registered as `name` (for a definition: its `execute` behind input validation). */
  get(name: string): Tool | undefined;
  /** The definition (description, input schema, digest) of `name`; `undefined` for plain functions. */
  definition(name: string): ToolDefinition | undefined;
  /** Releases what the registry holds (an MCP connection). Idempotent. */
  close?(): Promise<void>;
}

/** Options of one tool call through {@link AgentTools}. */
export interface ToolCallOptions {
  /** Aborts the call; handed to the tool. */
  signal?: AbortSignal | undefined;
  /** The calling agent, handed to the tool (set for you in `RunContext.tools`). */
  agent?: ToolCallAgent | undefined;
}

/** The tools one agent may call: exactly those its template names. Shared by every instance of the template. */
export interface AgentTools {
  /** The template's tool names, in template order. */
  readonly names: readonly string[];
  /** Whether the template grants `name`. */
  has(name: string): boolean;
  /** The definition of a granted tool (`undefined` when not granted or a plain function). */
  definition(name: string): ToolDefinition | undefined;
  /**
   * Calls the tool `name` with `input`. Rejects with `NG_ERR_TOOL_UNKNOWN` when the
   * template does not grant it (even if the host registered it), `NG_ERR_TOOL_PIN_MISMATCH`
   * when the template pins a digest the tool no longer has, `NG_ERR_TOOL_INPUT_INVALID`
   * when a defined tool's input fails its schema. A refused call never runs the tool and
   * is published on `nextgen:audit` (`type: "tool.call"`, `verdict: "refused"`).
   */
  call(name: string, input: unknown, options?: ToolCallOptions): Promise<unknown>;
}

/** `[a-z0-9][a-z0-9._-]*`, optionally `<server>/<tool>` (one `/`). Case-insensitive, as before. */
export const TOOL_NAME_PATTERN: RegExp = /^[a-z0-9][a-z0-9._-]*(?:\/[a-z0-9][a-z0-9._-]*)?$/i;

/** One registry source: a record of tools and definitions, or another registry. */
export type ToolSource = Readonly<Record<string, Tool | ToolDefinition>> | ToolRegistry;

function isRegistry(source: unknown): source is ToolRegistry {
  const candidate = source as Partial<ToolRegistry>;
  return (
    Array.isArray(candidate.names) &&
    typeof candidate.has === "function" &&
    typeof candidate.get === "function" &&
    typeof candidate.definition === "function"
  );
}

interface Entry {
  readonly get: () => Tool | undefined;
  readonly definition: () => ToolDefinition | undefined;
}

/**
 * Registers the host's tools: plain functions, `defineTool` definitions, and other
 * registries (an MCP server's), merged. A template naming a tool that is not registered
 * is refused at load (`NG_ERR_TOOL_UNKNOWN`), so a template can never reach code the host
 * did not choose to expose. `close()` closes every member registry that has `close`.
 *
 * @throws {OptionsError} for a bad name, a value that is neither a function nor a
 *   definition, a malformed JSON Schema, or a name two sources both register.
 * @example
 * ```ts
 * const tools = toolRegistry(
 *   { "secret-scan": (input: { text: string }) => findSecrets(input.text) },
 *   { "read-file": defineTool({ description: "Reads a file.", inputSchema, execute: readFile }) },
 * );
 * ```
 */
export function toolRegistry(...sources: ToolSource[]): ToolRegistry {
  const byName = new Map<string, Entry>();
  const members: ToolRegistry[] = [];
  sources.forEach((source, index) => {
    const label = sources.length === 1 ? "tools" : `tools[${index}]`;
    if (typeof source !== "object" || source === null || Array.isArray(source)) {
      throw new OptionsError(label, "must be an object mapping tool names to functions, or a tool registry.");
    }
    if (isRegistry(source)) {
      members.push(source);
      for (const name of source.names) {
        add(byName, label, name, { get: () => source.get(name), definition: () => source.definition(name) });
      }
      return;
    }
    for (const name of Object.keys(source)) add(byName, label, name, recordEntry(label, name, source[name]));
  });
  const names = Object.freeze([...byName.keys()].sort());
  let closing: Promise<void> | undefined;
  return Object.freeze({
    names,
    has: (name: string): boolean => byName.has(name),
    get: (name: string): Tool | undefined => byName.get(name)?.get(),
    definition: (name: string): ToolDefinition | undefined => byName.get(name)?.definition(),
    close(): Promise<void> {
      closing ??= Promise.allSettled(members.map((member) => member.close?.())).then(() => undefined);
      return closing;
    },
  });
}

function add(byName: Map<string, Entry>, label: string, name: string, entry: Entry): void {
  if (typeof name !== "string" || !TOOL_NAME_PATTERN.test(name) || name.length > 257) {
    throw new OptionsError(
      `${label}["${name}"]`,
      "is not a valid tool name ([a-z0-9._-], optionally <server>/<tool>).",
    );
  }
  if (byName.has(name))
    throw new OptionsError(`${label}["${name}"]`, "is registered twice; tool names must be unique.");
  byName.set(name, entry);
}

function recordEntry(label: string, name: string, value: Tool | ToolDefinition | undefined): Entry {
  if (typeof value === "function") return { get: () => value, definition: () => undefined };
  if (!isToolDefinition(value)) {
    throw new OptionsError(`${label}["${name}"]`, "must be a function or a defineTool({ … }) definition.");
  }
  if (!isStandardSchema(value.inputSchema)) {
    const problems = jsonSchemaProblems(value.inputSchema, "", { strict: false });
    if (problems.length > 0) {
      const first = problems[0]!;
      throw new OptionsError(
        `${label}["${name}"].inputSchema`,
        `is not a usable JSON Schema: ${first.pointer} ${first.message}.`,
      );
    }
  }
  const callable = validatedExecute(name, value);
  return { get: () => callable, definition: () => value };
}

/** Publishes a refused tool call on `nextgen:audit`. @internal */
export type RefusalSink = (name: string, code: string, message: string, agent: ToolCallAgent | undefined) => void;

/** How {@link bindTemplateTools} checks pins and reports refusals. @internal */
export interface BindToolsOptions {
  /** `toolPins` of the template: tool name → `sha256:<hex>`. */
  pins?: Readonly<Record<string, string>> | undefined;
  /** Called for every refused call (audit). */
  onRefused?: RefusalSink | undefined;
  /** Names the template, for pin messages. */
  subject?: string | undefined;
}

/**
 * The {@link AgentTools} of one template: checks every name against the registry
 * (throwing `NG_ERR_TOOL_UNKNOWN` naming the tool and, through `locate`, the template
 * and JSON pointer that named it), checks pins (`NG_ERR_TOOL_PIN_MISMATCH`) and binds them.
 * @internal
 */
export function bindTemplateTools(
  registry: ToolRegistry,
  names: readonly string[],
  locate: (name: string) => string,
  options: BindToolsOptions = {},
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
  const pins = options.pins ?? {};
  const subject = options.subject ?? "the template";
  const pinProblem = (name: string): string | undefined => {
    const pin = pins[name];
    if (pin === undefined) return undefined;
    const actual = registry.definition(name)?.digest;
    if (actual === pin) return undefined;
    return `Tool "${name}" is pinned by ${subject} to ${pin}, but the registry's tool has ${actual ?? "no digest"}.`;
  };
  for (const name of Object.keys(pins)) {
    const problem = pinProblem(name);
    if (problem !== undefined) throw new NextGenError("NG_ERR_TOOL_PIN_MISMATCH", problem);
  }
  const frozenNames = Object.freeze([...names]);
  const refuse = (
    name: string,
    code: "NG_ERR_TOOL_UNKNOWN" | "NG_ERR_TOOL_PIN_MISMATCH",
    message: string,
    agent: ToolCallAgent | undefined,
  ): never => {
    options.onRefused?.(name, code, message, agent);
    throw new NextGenError(code, message);
  };
  return Object.freeze({
    names: frozenNames,
    has: (name: string): boolean => granted.has(name),
    definition: (name: string): ToolDefinition | undefined =>
      granted.has(name) ? registry.definition(name) : undefined,
    async call(name: string, input: unknown, callOptions?: ToolCallOptions): Promise<unknown> {
      const agent = callOptions?.agent;
      const tool = granted.get(name);
      if (!tool) {
        refuse(
          name,
          "NG_ERR_TOOL_UNKNOWN",
          `The template does not grant tool "${name}" (it grants: ${frozenNames.join(", ") || "none"}).`,
          agent,
        );
      }
      const problem = pinProblem(name);
      if (problem !== undefined) refuse(name, "NG_ERR_TOOL_PIN_MISMATCH", problem, agent);
      callOptions?.signal?.throwIfAborted();
      try {
        return await (tool as (input: unknown, context: ToolCallContext) => unknown)(input, {
          signal: callOptions?.signal,
          toolName: name,
          agent,
        });
      } catch (error) {
        if (NextGenError.is(error, "NG_ERR_TOOL_INPUT_INVALID"))
          options.onRefused?.(name, error.code, error.message, agent);
        throw error;
      }
    },
  });
}
