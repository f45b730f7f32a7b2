import { tracingChannel } from "node:diagnostics_channel";
import type { AgentHandle, AgentTools, JsonSchema, RunContext } from "@nextgen/core";
import { GENAI_TOOL_CALL_CHANNEL, NextGenError } from "@nextgen/core";
import { isStandardSchema, traceToolCall } from "@nextgen/core/internal";
import { asSchema, jsonSchema, type Schema, type ToolSet, tool } from "ai";
import type { AiInput, AiRunResult } from "./ai-types.js";
import { type ToolNameMap, toolNameMap } from "./tool-names.js";

const toolCalls = tracingChannel(GENAI_TOOL_CALL_CHANNEL);

/** Input of a delegation tool. */
const DELEGATION_SCHEMA = {
  type: "object",
  properties: { task: { type: "string", description: "What the agent should do, in full." } },
  required: ["task"],
  additionalProperties: false,
} as const;

/** The tools one run offers the model, and how provider names map back. @internal */
export interface RunTools {
  readonly tools: ToolSet;
  readonly names: ToolNameMap;
  /** Template id of the sub-agent behind a registry-style name (`delegate:<id>`). */
  delegateOf(name: string): string | undefined;
}

/** What a delegation runs: the sub-agent's own `run`. */
type Runnable = AgentHandle<AiInput, unknown>;

/**
 * Offers the model exactly what the template grants: its tools that have a definition
 * (plain functions have no schema to show a model) and one tool per `agents` entry. Each
 * call goes through `AgentTools.call`, which refuses ungranted names, checks pins, and
 * validates the arguments before the tool runs, auditing every refusal.
 * @internal
 */
export function runTools(agent: AgentHandle<never, unknown>, tools: AgentTools, current: () => RunContext): RunTools {
  const granted = tools.names.filter((name) => tools.definition(name) !== undefined);
  const delegations = agent.agents.ids.map((id) => `delegate:${id}`);
  const names = toolNameMap([...granted, ...delegations]);
  const set: ToolSet = {};
  for (const name of granted) {
    const definition = tools.definition(name)!;
    set[names.toProvider(name)] = tool({
      description: definition.description,
      // The schema is shown to the model; validation is core's, before execute, so every
      // refusal is counted and audited the same way whichever schema library defined it.
      inputSchema: modelSchemaOf(definition.inputSchema),
      execute: (input: unknown, options) => {
        const context = current();
        const callOptions = { signal: options.abortSignal ?? context.signal, agent: context.agent };
        // Untraced calls skip the trace's closures: the tool loop's hot path when nobody listens.
        if (!toolCalls.hasSubscribers) return tools.call(name, input, callOptions);
        return traced(context, name, options.toolCallId, () => tools.call(name, input, callOptions));
      },
    });
  }
  for (const id of agent.agents.ids) {
    set[names.toProvider(`delegate:${id}`)] = tool({
      description: `Delegates a task to the agent of template "${id}" and returns its answer.`,
      inputSchema: DELEGATION_INPUT,
      execute: (input: unknown, options) => {
        const context = current();
        return traced(context, `delegate:${id}`, options.toolCallId, async () => {
          const signal = options.abortSignal ?? context.signal;
          const task = (input as { task?: unknown }).task;
          if (typeof task !== "string" || task.length === 0) throw new TypeError('"task" must be a non-empty string.');
          const sub = (await agent.agents.create(id, { signal })) as Runnable;
          try {
            const result = await sub.run(task, { signal });
            const answer = result as Partial<AiRunResult>;
            return answer.output ?? answer.text ?? result;
          } finally {
            await sub.dispose();
          }
        });
      },
    });
  }
  return {
    tools: set,
    names,
    delegateOf: (name) => (name.startsWith("delegate:") ? name.slice("delegate:".length) : undefined),
  };
}

/** One `execute_tool` trace per call, with its outcome (`refused` for a call core never ran). */
function traced<T>(context: RunContext, toolName: string, toolCallId: string, call: () => Promise<T>): Promise<T> {
  const { agent, template } = context;
  return traceToolCall(
    () => ({
      instanceId: agent.id,
      templateId: template.id,
      agentName: template.name,
      version: template.version,
      toolName,
      toolCallId,
    }),
    async (trace) => {
      try {
        const value = await call();
        if (trace) trace.outcome = "ok";
        return value;
      } catch (error) {
        if (trace) {
          const refused = NextGenError.is(error) && REFUSALS.has(error.code);
          trace.outcome = refused ? "refused" : "error";
          if (NextGenError.is(error)) trace.code = error.code;
        }
        throw error;
      }
    },
  );
}

const REFUSALS: ReadonlySet<string> = new Set([
  "NG_ERR_TOOL_UNKNOWN",
  "NG_ERR_TOOL_INPUT_INVALID",
  "NG_ERR_TOOL_PIN_MISMATCH",
  "NG_ERR_AGENT_DELEGATION_DENIED",
  "NG_ERR_AGENT_DELEGATION_TOO_DEEP",
]);

/** What a model is shown for a delegation tool's input, built once. */
const DELEGATION_INPUT: Schema = jsonSchema(DELEGATION_SCHEMA);

/**
 * The model-facing schemas of tool input schemas, built once per schema object: every run of
 * an agent created per request offers the same registry tools, and building each schema anew
 * was a visible share of a short run's CPU. Keyed weakly by the definition's schema, so a
 * tool that goes away takes its entry with it.
 */
const modelSchemas = new WeakMap<object, Schema>();

/** `jsonSchema(modelSchema(schema))`, remembered for object schemas. */
function modelSchemaOf(schema: unknown): Schema {
  if (typeof schema !== "object" || schema === null) return jsonSchema(modelSchema(schema));
  let built = modelSchemas.get(schema);
  if (built === undefined) {
    built = jsonSchema(modelSchema(schema));
    modelSchemas.set(schema, built);
  }
  return built;
}

/** The JSON Schema a model is shown for a tool's input. */
function modelSchema(schema: unknown): Record<string, unknown> {
  if (isStandardSchema(schema)) return asSchema(schema as never).jsonSchema as Record<string, unknown>;
  if (schema === true) return { type: "object" };
  if (schema === false) return { not: {} };
  return schema as Exclude<JsonSchema, boolean> as Record<string, unknown>;
}
