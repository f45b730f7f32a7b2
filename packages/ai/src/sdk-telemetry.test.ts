// The AI SDK's own telemetry: off for a run only when nothing would receive it, so a host
// that registered an AI SDK integration or listens on `ai:telemetry` still sees agent runs.
import { tracingChannel } from "node:diagnostics_channel";
import { createAgentFactory, memorySource, toolRegistry, trustPolicy } from "@nextgen/core";
import { AI_SDK_TELEMETRY_TRACING_CHANNEL, registerTelemetry, type Telemetry } from "ai";
import { afterEach, describe, expect, it } from "vitest";
import { aiAgentKind } from "./ai-agent-kind.js";
import { modelRegistry } from "./model-registry.js";
import { sdkTelemetry } from "./sdk-telemetry.js";
import { scriptedModel } from "./test-model.js";

const ignore = (): void => {};
/** Tracing channel handlers: `start` as given, the other four ignoring their message. */
const handlersWith = (start: (message: unknown) => void) => ({
  start,
  end: ignore,
  asyncStart: ignore,
  asyncEnd: ignore,
  error: ignore,
});

afterEach(() => {
  globalThis.AI_SDK_TELEMETRY_INTEGRATIONS = undefined;
});

async function agentRun(stream: boolean): Promise<void> {
  const factory = createAgentFactory({
    source: memorySource([
      {
        schemaVersion: 1,
        id: "telemetry/agent",
        version: "1.0.0",
        name: "Telemetry agent",
        role: "specialist",
        description: "Answers.",
        instructions: "Answer in one line.",
        config: { model: "fast" },
      },
    ]),
    kinds: { specialist: aiAgentKind({ models: modelRegistry({ fast: scriptedModel([{ text: "Done." }]).model }) }) },
    tools: toolRegistry({}),
    trust: trustPolicy({ version: 1, keys: [], requireSignatures: false }),
  });
  const agent = await factory.create("telemetry/agent");
  if (stream) for await (const _ of agent.stream("Go.")) void _;
  else expect((await agent.run("Go.")).text).toBe("Done.");
  await factory.close();
}

describe("the AI SDK's telemetry under aiAgentKind", () => {
  it("is off while nothing would receive it, and on again as soon as something would", () => {
    expect(sdkTelemetry()).toEqual({ isEnabled: false });
    registerTelemetry({});
    expect(sdkTelemetry()).toBeUndefined();
    globalThis.AI_SDK_TELEMETRY_INTEGRATIONS = undefined;
    expect(sdkTelemetry()).toEqual({ isEnabled: false });

    const channel = tracingChannel(AI_SDK_TELEMETRY_TRACING_CHANNEL);
    const handlers = handlersWith(ignore);
    channel.subscribe(handlers);
    try {
      expect(sdkTelemetry()).toBeUndefined();
    } finally {
      channel.unsubscribe(handlers);
    }
    expect(sdkTelemetry()).toEqual({ isEnabled: false });
  });

  it.each([false, true])("reaches an integration registered with registerTelemetry (stream: %s)", async (stream) => {
    const started: unknown[] = [];
    const integration: Telemetry = { onStart: (event) => void started.push(event.operationId) };
    registerTelemetry(integration);
    await agentRun(stream);
    expect(started).toEqual([stream ? "ai.streamText" : "ai.generateText"]);
  });

  it("reaches a subscriber of the SDK's ai:telemetry tracing channel", async () => {
    const types: string[] = [];
    const channel = tracingChannel(AI_SDK_TELEMETRY_TRACING_CHANNEL);
    const handlers = handlersWith((message) => void types.push((message as { type: string }).type));
    channel.subscribe(handlers);
    try {
      await agentRun(false);
    } finally {
      channel.unsubscribe(handlers);
    }
    expect(types).toContain("languageModelCall");
  });
});
