import { randomUUID } from "node:crypto";
import type { Message, Part } from "@a2a-js/sdk";
import { Role, TaskState } from "@a2a-js/sdk";
import { AgentEvent, type AgentExecutor, type ExecutionEventBus, type RequestContext } from "@a2a-js/sdk/server";
import { NextGenError } from "@nextgen/core";

/** What the handler needs of an agent: `run` with a signal, and `dispose`. */
export interface A2ARunnableAgent {
  run(task: never, options?: { signal?: AbortSignal }): Promise<unknown>;
  dispose(): Promise<void>;
}

/** What the handler needs of a factory: `create(id)`, which loads and verifies the template. */
export interface A2AAgentFactory {
  create(id: string): Promise<A2ARunnableAgent>;
}

/** The text of an A2A message and the message itself, handed to `toTask`. */
export interface A2AIncomingMessage {
  /** The message's text parts, joined by newlines. */
  readonly text: string;
  /** The message as `@a2a-js/sdk` parsed it. */
  readonly message: Message;
}

/** @internal Key of the HTTP request's signal in `ServerCallContext.state` (aborted when the caller goes away). */
export const REQUEST_SIGNAL_KEY = "nextgen.requestSignal";

/** @internal How the executor runs one template. */
export interface TemplateExecutorOptions {
  factory: A2AAgentFactory;
  templateId: string;
  toTask: (incoming: A2AIncomingMessage) => unknown;
  toText: (result: unknown) => string;
}

function textOf(message: Message): string {
  return message.parts
    .map((part) => (part.content?.$case === "text" ? part.content.value : undefined))
    .filter((text): text is string => text !== undefined)
    .join("\n");
}

function textPart(text: string): Part {
  return { content: { $case: "text", value: text }, metadata: undefined, filename: "", mediaType: "text/plain" };
}

/** @internal The agent's reply as an A2A message. */
export function agentMessage(text: string, contextId: string, taskId: string): Message {
  return {
    messageId: randomUUID(),
    contextId,
    taskId,
    role: Role.ROLE_AGENT,
    parts: [textPart(text)],
    metadata: undefined,
    extensions: [],
    referenceTaskIds: [],
  };
}

/** @internal Default `toText`: a string as is, a `{ text }` result's text, anything else as JSON. */
export function defaultToText(result: unknown): string {
  if (typeof result === "string") return result;
  if (typeof result === "object" && result !== null && typeof (result as { text?: unknown }).text === "string")
    return (result as { text: string }).text;
  return JSON.stringify(result) ?? "";
}

/**
 * The error as told to the remote caller: a refusal (signature, template, tool) says what
 * and why; what the agent's own code threw stays inside, only its code goes out.
 */
function describeFailure(error: unknown): string {
  if (!NextGenError.is(error)) return "the agent failed to run the task";
  if (error.code === "NG_ERR_AGENT_RUN_FAILED") return `${error.code}: the agent failed to run the task`;
  return `${error.code}: ${error.message}`;
}

/**
 * @internal An `AgentExecutor` that creates a fresh agent through the factory for every
 * call (so the template is verified each time, from the cache when it is warm), runs it
 * on the message's text and answers with one message, or a failed task naming the error.
 */
export function templateExecutor(options: TemplateExecutorOptions): AgentExecutor {
  const running = new Map<string, AbortController>();
  return {
    async execute(requestContext: RequestContext, eventBus: ExecutionEventBus): Promise<void> {
      const { taskId, contextId } = requestContext;
      const controller = new AbortController();
      running.set(taskId, controller);
      const requestSignal = requestContext.context.state.get(REQUEST_SIGNAL_KEY);
      const signal =
        requestSignal instanceof AbortSignal ? AbortSignal.any([controller.signal, requestSignal]) : controller.signal;
      try {
        const message = requestContext.userMessage;
        const task = options.toTask({ text: textOf(message), message });
        const agent = await options.factory.create(options.templateId);
        let result: unknown;
        try {
          result = await agent.run(task as never, { signal });
        } finally {
          await agent.dispose();
        }
        eventBus.publish(AgentEvent.message(agentMessage(options.toText(result), contextId, taskId)));
      } catch (error) {
        const canceled = signal.aborted;
        eventBus.publish(
          AgentEvent.task({
            id: taskId,
            contextId,
            status: {
              state: canceled ? TaskState.TASK_STATE_CANCELED : TaskState.TASK_STATE_FAILED,
              message: agentMessage(canceled ? "canceled" : describeFailure(error), contextId, taskId),
              timestamp: new Date().toISOString(),
            },
            artifacts: [],
            history: [],
            metadata: undefined,
          }),
        );
      } finally {
        running.delete(taskId);
        eventBus.finished();
      }
    },
    async cancelTask(taskId: string): Promise<void> {
      running.get(taskId)?.abort(new NextGenError("NG_ERR_AGENT_ABORTED", `A2A task ${taskId} was canceled`));
    },
  };
}
