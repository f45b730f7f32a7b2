import { generateText, stepCountIs, streamText, tool } from "ai";
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { scriptedModel } from "./scripted-model.js";

const tools = {
  scan: tool({
    inputSchema: z.object({ text: z.string() }),
    execute: async ({ text }) => [
      { severity: "low", text },
      { severity: "critical", text },
    ],
  }),
  delegate_auditor: tool({
    inputSchema: z.object({ task: z.string() }),
    execute: async ({ task }) => [{ severity: "low", task }],
  }),
};

describe("scriptedModel (@nextgen/ai/testing)", () => {
  it("calls every tool with the request, then counts the findings by severity", async () => {
    const result = await generateText({
      model: scriptedModel(),
      tools,
      prompt: "review PR 7",
      stopWhen: stepCountIs(3),
    });
    expect(result.steps[0]!.toolCalls.map((call) => [call.toolName, call.input])).toEqual([
      ["scan", { text: "review PR 7" }],
      ["delegate_auditor", { task: "review PR 7" }],
    ]);
    expect(result.text).toBe("3 finding(s) (2 low, 1 critical).");
    expect(result.finishReason).toBe("stop");
  });

  it("takes its tool inputs and answer from the options, and streams the same answer", async () => {
    const model = scriptedModel({
      modelId: "mine",
      toolInput: (name) => ({ [name === "scan" ? "text" : "task"]: "fixed" }),
      answer: (results) =>
        results.map((result) => `${result.toolName}:${(result.output as unknown[]).length}`).join(" "),
    });
    expect(model.modelId).toBe("mine");
    const stream = streamText({ model, tools, prompt: "ignored", stopWhen: stepCountIs(3) });
    expect(await stream.text).toBe("scan:2 delegate_auditor:1");
    expect((await stream.steps)[0]!.toolCalls.map((call) => call.input)).toEqual([
      { text: "fixed" },
      { task: "fixed" },
    ]);
  });

  it("answers without tools, and stops waiting when the run is cancelled", async () => {
    expect((await generateText({ model: scriptedModel(), prompt: "hi" })).text).toBe("No findings.");
    const controller = new AbortController();
    const pending = generateText({
      model: scriptedModel({ latencyMs: 60_000 }),
      prompt: "hi",
      abortSignal: controller.signal,
      maxRetries: 0,
    });
    controller.abort(new Error("cancelled"));
    await expect(pending).rejects.toThrow("cancelled");
  });
});
