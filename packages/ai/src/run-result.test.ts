import type { ToolCallAgent } from "@nextgen/core";
import type { StepResult, ToolSet } from "ai";
import { describe, expect, it } from "vitest";
import { runResult } from "./run-result.js";
import type { RunTools } from "./run-tools.js";
import { toolNameMap } from "./tool-names.js";

const names = toolNameMap(["github/search", "delegate:qa/tester"]);
const tools: RunTools = {
  tools: {},
  names,
  delegateOf: (name) => (name.startsWith("delegate:") ? name.slice("delegate:".length) : undefined),
};
const agent: ToolCallAgent = { id: "a-1", templateId: "security/auditor", version: "1.0.0", digest: "sha256:00" };
const usage = (input: number | undefined, output: number) => ({
  inputTokens: input,
  outputTokens: output,
  totalTokens: input === undefined ? undefined : input + output,
});

/** The fields of a step that the result reads; the SDK's step class adds getters over `content`. */
const step = (content: unknown[], finishReason: string, tokens: ReturnType<typeof usage>) =>
  ({ content, finishReason, usage: tokens }) as unknown as StepResult<ToolSet>;

describe("runResult", () => {
  it("names calls by registry name, settles each with its result or error, joins text, sums usage", () => {
    const result = runResult(
      [
        step(
          [
            { type: "text", text: "Looking " },
            { type: "tool-call", toolCallId: "c1", toolName: "github_search", input: { query: "AKIA" } },
            { type: "tool-call", toolCallId: "c2", toolName: "delegate_qa_tester", input: { task: "Test." } },
            { type: "text", text: "it up." },
            { type: "tool-result", toolCallId: "c1", toolName: "github_search", input: {}, output: ["hit"] },
            { type: "tool-error", toolCallId: "c2", toolName: "delegate_qa_tester", input: {}, error: new Error("no") },
          ],
          "tool-calls",
          usage(undefined, 5),
        ),
        step([{ type: "text", text: "Done." }], "stop", usage(20, 3)),
      ],
      tools,
      agent,
    );
    expect(result.text).toBe("Done.");
    expect(result.finishReason).toBe("stop");
    expect(result.output).toBeUndefined();
    expect(result.steps.map((each) => each.text)).toEqual(["Looking it up.", "Done."]);
    expect(result.toolCalls).toEqual([
      { toolName: "github/search", toolCallId: "c1", input: { query: "AKIA" }, output: ["hit"] },
      {
        toolName: "delegate:qa/tester",
        delegate: "qa/tester",
        toolCallId: "c2",
        input: { task: "Test." },
        error: "no",
      },
    ]);
    expect(result.steps[0]?.toolCalls).toEqual(result.toolCalls);
    expect(result.usage).toEqual({ inputTokens: 20, outputTokens: 8, totalTokens: 23 });
  });

  it("keeps the name a model used for a tool nobody offered, and the error it was told", () => {
    const result = runResult(
      [
        step(
          [
            { type: "tool-call", toolCallId: "c1", toolName: "shell", input: {}, invalid: true, error: "unavailable" },
            { type: "tool-error", toolCallId: "c1", toolName: "shell", input: {}, error: "later" },
          ],
          "tool-calls",
          usage(1, 1),
        ),
      ],
      tools,
      agent,
    );
    expect(result.toolCalls).toEqual([{ toolName: "shell", toolCallId: "c1", input: {}, error: "unavailable" }]);
  });

  it("is empty for a run without steps", () => {
    expect(runResult([], tools, agent)).toEqual({
      text: "",
      output: undefined,
      steps: [],
      toolCalls: [],
      usage: { inputTokens: undefined, outputTokens: undefined, totalTokens: undefined },
      finishReason: "other",
    });
  });
});
