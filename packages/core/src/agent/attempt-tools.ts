import type { ToolDefinition } from "../tools/tool-definition.js";
import type { AgentTools, ToolCallAgent, ToolCallOptions } from "../tools/tool-registry.js";

/**
 * The agent's tools as one attempt sees them: the same grants, with the attempt's signal
 * and the agent's identity filled in when a call passes none. A class rather than an
 * object of closures because one is made per attempt, on the run's hot path.
 *
 * @example
 * ```ts
 * const tools = new AttemptTools(agent.tools, controller.signal, agent.identity);
 * await tools.call("read-file", { path: "README.md" }); // carries the signal and the agent
 * ```
 * @internal
 */
export class AttemptTools implements AgentTools {
  readonly names: readonly string[];
  readonly #tools: AgentTools;
  readonly #signal: AbortSignal;
  readonly #agent: ToolCallAgent;

  constructor(tools: AgentTools, signal: AbortSignal, agent: ToolCallAgent) {
    this.names = tools.names;
    this.#tools = tools;
    this.#signal = signal;
    this.#agent = agent;
  }

  has(name: string): boolean {
    return this.#tools.has(name);
  }

  definition(name: string): ToolDefinition | undefined {
    return this.#tools.definition(name);
  }

  call(name: string, input: unknown, options?: ToolCallOptions): Promise<unknown> {
    return this.#tools.call(name, input, {
      signal: options?.signal ?? this.#signal,
      agent: options?.agent ?? this.#agent,
    });
  }
}
