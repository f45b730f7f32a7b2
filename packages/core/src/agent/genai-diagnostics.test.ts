import { tracingChannel } from "node:diagnostics_channel";
import { describe, expect, it } from "vitest";
import {
  GENAI_MODEL_CALL_CHANNEL,
  GENAI_TOOL_CALL_CHANNEL,
  type GenAiModelCallContext,
  traceModelCall,
  traceToolCall,
} from "./genai-diagnostics.js";

const agentFields = { instanceId: "i-1", templateId: "qa/a", agentName: "A", version: "1.0.0" };

describe("GenAI diagnostics", () => {
  it("runs the call bare, building no context, when nobody listens", async () => {
    let built = 0;
    const result = await traceModelCall(
      () => {
        built++;
        return { ...agentFields, model: "fast", provider: "p", step: 1, streamed: false };
      },
      async (context) => (context === undefined ? "bare" : "traced"),
    );
    expect(result).toBe("bare");
    expect(built).toBe(0);
  });

  it("traces a model call with the context the call filled in, inside the instrumentation's hook", async () => {
    const ended: GenAiModelCallContext[] = [];
    let hooked = 0;
    const handlers = {
      start: (message: unknown) => {
        (message as GenAiModelCallContext).runInContext = (fn) => {
          hooked++;
          return fn();
        };
      },
      end: () => {},
      asyncStart: () => {},
      asyncEnd: (message: unknown) => ended.push(message as GenAiModelCallContext),
      error: () => {},
    };
    const channel = tracingChannel(GENAI_MODEL_CALL_CHANNEL);
    channel.subscribe(handlers);
    try {
      await traceModelCall(
        () => ({ ...agentFields, model: "fast", provider: "p", step: 2, streamed: true }),
        async (context) => {
          if (context) context.inputTokens = 7;
        },
      );
    } finally {
      channel.unsubscribe(handlers);
    }
    expect(hooked).toBe(1);
    expect(ended).toEqual([expect.objectContaining({ model: "fast", step: 2, streamed: true, inputTokens: 7 })]);
  });

  it("traces a tool call and reports its failure", async () => {
    const errors: unknown[] = [];
    const handlers = {
      start: () => {},
      end: () => {},
      asyncStart: () => {},
      asyncEnd: () => {},
      error: (message: unknown) => errors.push((message as { error: unknown }).error),
    };
    const channel = tracingChannel(GENAI_TOOL_CALL_CHANNEL);
    channel.subscribe(handlers);
    try {
      const failing = traceToolCall(
        () => ({ ...agentFields, toolName: "read-file", toolCallId: "c1" }),
        async () => {
          throw new Error("disk gone");
        },
      );
      await expect(failing).rejects.toThrow("disk gone");
    } finally {
      channel.unsubscribe(handlers);
    }
    expect(errors).toEqual([expect.objectContaining({ message: "disk gone" })]);
  });
});
