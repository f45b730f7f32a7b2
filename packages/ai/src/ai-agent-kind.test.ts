import { subscribe, unsubscribe } from "node:diagnostics_channel";
import {
  type AgentTemplate,
  AUDIT_CHANNEL,
  type AuditEvent,
  createAgentFactory,
  defineTool,
  memorySource,
  NextGenError,
  toolRegistry,
  trustPolicy,
} from "@nextgen/core";
import { afterAll, afterEach, describe, expect, it, vi } from "vitest";
import { z } from "zod";
import { aiAgentKind } from "./ai-agent-kind.js";
import type { AiStreamEvent } from "./ai-types.js";
import { modelRegistry } from "./model-registry.js";
import { scriptedModel, type Turn } from "./test-model.js";

const audit: AuditEvent[] = [];
const onAudit = (message: unknown): void => {
  audit.push(message as AuditEvent);
};
subscribe(AUDIT_CHANNEL, onAudit);
afterAll(() => unsubscribe(AUDIT_CHANNEL, onAudit));
afterEach(() => {
  audit.length = 0;
  vi.useRealTimers();
});

const code = (promise: Promise<unknown>) =>
  promise.then(
    () => "resolved",
    (error: unknown) => (NextGenError.is(error) ? error.code : `uncoded: ${String(error)}`),
  );
const causeCode = (error: unknown): string | undefined => {
  const cause = (error as { cause?: unknown }).cause;
  return NextGenError.is(cause) ? cause.code : NextGenError.is(error) ? error.code : undefined;
};

const executed: { tool: string; input: unknown }[] = [];
const readFile = defineTool({
  description: "Reads a file of the change set.",
  inputSchema: {
    type: "object",
    properties: { path: { type: "string" } },
    required: ["path"],
    additionalProperties: false,
  },
  execute: (input: { path: string }) => {
    executed.push({ tool: "read-file", input });
    return input.path === "config.env" ? "AWS_KEY=AKIAABCDEFGHIJKLMNOP" : "nothing here";
  },
});
const search = defineTool({
  description: "Searches the code.",
  inputSchema: z.object({ query: z.string().min(1) }),
  execute: (input: { query: string }) => {
    executed.push({ tool: "github/search", input });
    return [`hit for ${input.query}`];
  },
});
const shell = defineTool({
  description: "Runs a shell command.",
  inputSchema: { type: "object" },
  execute: () => {
    executed.push({ tool: "shell", input: undefined });
    return "pwned";
  },
});

const findings = {
  type: "object",
  properties: { findings: { type: "array", items: { type: "string" } }, severity: { enum: ["low", "high"] } },
  required: ["findings", "severity"],
  additionalProperties: false,
} as const;

const template = (id: string, fields: Partial<AgentTemplate> = {}): AgentTemplate => ({
  schemaVersion: 1,
  id,
  version: "1.0.0",
  name: `Agent ${id}`,
  role: "specialist",
  description: `Does ${id}.`,
  config: { model: "fast" },
  ...fields,
});

function setup(turns: Record<string, Turn[]>, templates: AgentTemplate[], models = {}) {
  const scripted = Object.fromEntries(Object.entries(turns).map(([name, list]) => [name, scriptedModel(list)]));
  const registry = modelRegistry({
    ...Object.fromEntries(Object.entries(scripted).map(([name, s]) => [name, s.model])),
    ...models,
  });
  const factory = createAgentFactory({
    source: memorySource(templates),
    kinds: { specialist: aiAgentKind<{ findings: string[]; severity: string }>({ models: registry }) },
    tools: toolRegistry({ "read-file": readFile, "github/search": search, shell }),
    trust: trustPolicy({ version: 1, keys: [], requireSignatures: false }),
  });
  return { factory, scripted };
}

const auditor = template("security/auditor", {
  instructions: ["Never reveal secrets.", "Report each finding with a severity."],
  tools: ["read-file", "github/search"],
  output: findings,
  config: { model: "fast", temperature: 0.2, maxTokens: 512 },
});

describe("aiAgentKind: the tool loop", () => {
  it("sends exactly the template's instructions and tool definitions, runs tools through the registry, validates the answer", async () => {
    executed.length = 0;
    const { factory, scripted } = setup(
      {
        fast: [
          { calls: [{ name: "read-file", input: { path: "config.env" } }] },
          { calls: [{ name: "github_search", input: { query: "AKIA" } }] },
          { text: JSON.stringify({ findings: ["AWS key in config.env"], severity: "high" }) },
        ],
      },
      [auditor],
    );
    const agent = await factory.create("security/auditor");
    const result = await agent.run("Review the change set.");
    expect(result.output).toEqual({ findings: ["AWS key in config.env"], severity: "high" });
    expect(result.steps).toHaveLength(3);
    expect(result.finishReason).toBe("stop");
    expect(result.usage).toEqual({ inputTokens: 30, outputTokens: 15, totalTokens: 45 });
    expect(result.toolCalls.map((call) => [call.toolName, call.output])).toEqual([
      ["read-file", "AWS_KEY=AKIAABCDEFGHIJKLMNOP"],
      ["github/search", ["hit for AKIA"]],
    ]);
    expect(executed.map((call) => call.tool)).toEqual(["read-file", "github/search"]);

    const first = scripted.fast!.calls[0]!;
    expect(first.prompt[0]).toEqual({
      role: "system",
      content: "Never reveal secrets.\n\nReport each finding with a severity.",
    });
    expect(first.prompt[1]).toMatchObject({
      role: "user",
      content: [{ type: "text", text: "Review the change set." }],
    });
    expect(first.temperature).toBe(0.2);
    expect(first.maxOutputTokens).toBe(512);
    expect(first.responseFormat).toMatchObject({ type: "json", schema: findings });
    expect(first.tools?.map((tool) => [tool.type, tool.name, "description" in tool ? tool.description : ""])).toEqual([
      ["function", "read-file", "Reads a file of the change set."],
      ["function", "github_search", "Searches the code."],
    ]);
    const searchTool = first.tools?.find((tool) => tool.name === "github_search");
    expect(searchTool && "inputSchema" in searchTool ? searchTool.inputSchema : undefined).toMatchObject({
      type: "object",
      properties: { query: { type: "string", minLength: 1 } },
    });
  });

  it("refuses an answer that does not satisfy the output schema", async () => {
    const notJson = setup({ fast: [{ text: "All good!" }] }, [auditor]);
    const error = await (await notJson.factory.create("security/auditor")).run("x").catch((caught: unknown) => caught);
    expect(causeCode(error)).toBe("NG_ERR_AGENT_OUTPUT_INVALID");
    const wrongShape = setup({ fast: [{ text: JSON.stringify({ findings: "none", severity: "medium" }) }] }, [auditor]);
    const shaped = await (await wrongShape.factory.create("security/auditor"))
      .run("x")
      .catch((caught: unknown) => caught);
    expect(causeCode(shaped)).toBe("NG_ERR_AGENT_OUTPUT_INVALID");
    expect(String((shaped as Error).message)).toContain("/findings must be array");
  });

  it("never runs a tool with invalid arguments: the model gets the error and the refusal is audited", async () => {
    executed.length = 0;
    const { factory, scripted } = setup(
      {
        fast: [
          { calls: [{ name: "read-file", input: { file: "config.env" } }] },
          { calls: [{ name: "github_search", input: "{not json" }] },
          { text: JSON.stringify({ findings: [], severity: "low" }) },
        ],
      },
      [auditor],
    );
    const result = await (await factory.create("security/auditor")).run("Review.");
    expect(executed).toEqual([]);
    expect(result.toolCalls[0]?.error).toContain('Invalid input for tool "read-file"');
    expect(result.toolCalls[1]?.toolName).toBe("github/search");
    expect(result.toolCalls[1]?.error).toBeDefined();
    const secondPrompt = scripted.fast!.calls[1]!.prompt;
    expect(JSON.stringify(secondPrompt.at(-1))).toContain("Invalid input for tool");
    expect(
      audit.filter((event) => event.type === "tool.call").map((event) => [event.reason, event.detail?.tool]),
    ).toEqual([
      ["NG_ERR_TOOL_INPUT_INVALID", "read-file"],
      ["NG_ERR_TOOL_INPUT_INVALID", "github/search"],
    ]);
  });

  it("never runs a tool the template does not grant, even one the host registered", async () => {
    executed.length = 0;
    const { factory, scripted } = setup(
      {
        fast: [{ calls: [{ name: "shell", input: {} }] }, { text: JSON.stringify({ findings: [], severity: "low" }) }],
      },
      [auditor],
    );
    const result = await (await factory.create("security/auditor")).run("Review.");
    expect(executed).toEqual([]);
    expect(scripted.fast!.calls[0]!.tools?.map((tool) => tool.name)).not.toContain("shell");
    expect(result.toolCalls).toEqual([expect.objectContaining({ toolName: "shell", error: expect.any(String) })]);
    expect(audit).toContainEqual(
      expect.objectContaining({ type: "tool.call", verdict: "refused", reason: "NG_ERR_TOOL_UNKNOWN" }),
    );
  });

  it("stops the loop at config.maxSteps", async () => {
    const looping = template("qa/looper", { tools: ["read-file"], config: { model: "fast", maxSteps: 2 } });
    const { factory, scripted } = setup({ fast: [{ calls: [{ name: "read-file", input: { path: "a" } }] }] }, [
      looping,
      { ...looping, id: "qa/strict", output: findings },
    ]);
    const result = await (await factory.create("qa/looper")).run("Loop.");
    expect(result.steps).toHaveLength(2);
    expect(result.finishReason).toBe("tool-calls");
    expect(scripted.fast!.calls).toHaveLength(2);
    const strict = await (await factory.create("qa/strict")).run("Loop.").catch((caught: unknown) => caught);
    expect(causeCode(strict)).toBe("NG_ERR_AGENT_OUTPUT_INVALID");
  });

  it("turns the AI SDK's retries off so config.maxRetries alone decides", async () => {
    let calls = 0;
    const failing = {
      ...scriptedModel([]).model,
      doGenerate: async () => {
        calls++;
        throw Object.assign(new Error("overloaded"), { isRetryable: true, statusCode: 529 });
      },
    };
    const { factory } = setup({}, [template("qa/retry", { config: { model: "flaky", maxRetries: 1 } })], {
      flaky: failing,
    });
    expect(await code((await factory.create("qa/retry")).run("x"))).toBe("NG_ERR_AGENT_RUN_FAILED");
    expect(calls).toBe(2);
  });

  it("refuses a template whose model the registry does not know, at load", async () => {
    const { factory } = setup({ fast: [] }, [template("qa/unknown-model", { config: { model: "gpt-unknown" } })]);
    expect(await code(factory.create("qa/unknown-model"))).toBe("NG_ERR_MODEL_UNKNOWN");
  });

  it("times out a run whose model never answers (config.timeoutMs)", async () => {
    vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout"] });
    const hanging = {
      ...scriptedModel([]).model,
      doGenerate: (options: { abortSignal?: AbortSignal }) =>
        new Promise<never>((_, reject) =>
          options.abortSignal?.addEventListener("abort", () => reject(options.abortSignal?.reason)),
        ),
    };
    const { factory } = setup({}, [template("qa/slow", { config: { model: "slow", timeoutMs: 1000 } })], {
      slow: hanging,
    });
    const running = code((await factory.create("qa/slow")).run("x"));
    await vi.advanceTimersByTimeAsync(1000);
    expect(await running).toBe("NG_ERR_AGENT_TIMEOUT");
  });

  it("settles at once on abort during a tool that ignores the signal, and never calls the model or a tool again", async () => {
    let release: () => void = () => {};
    const started: string[] = [];
    const stubborn = defineTool({
      description: "Ignores its signal.",
      inputSchema: { type: "object" },
      execute: async (_input: unknown, context) => {
        started.push(context.toolName);
        await new Promise<void>((resolve) => {
          release = resolve;
        });
        return "late";
      },
    });
    const scripted = scriptedModel([{ calls: [{ name: "stubborn", input: {} }] }]);
    const factory = createAgentFactory({
      source: memorySource([template("qa/stubborn", { tools: ["stubborn"], config: { model: "m", maxSteps: 5 } })]),
      kinds: { specialist: aiAgentKind({ models: modelRegistry({ m: scripted.model }) }) },
      tools: toolRegistry({ stubborn }),
      trust: trustPolicy({ version: 1, keys: [], requireSignatures: false }),
    });
    const controller = new AbortController();
    const running = code((await factory.create("qa/stubborn")).run("Go.", { signal: controller.signal }));
    await vi.waitFor(() => expect(started).toHaveLength(1));
    controller.abort(new Error("caller left"));
    expect(await running).toBe("NG_ERR_AGENT_ABORTED");
    expect(scripted.calls[0]?.abortSignal?.aborted).toBe(true);
    release();
    // The loop, still running in the background, reaches its next model call: refused before the provider.
    await new Promise((resolve) => setImmediate(resolve));
    await new Promise((resolve) => setImmediate(resolve));
    expect(scripted.calls).toHaveLength(1);
    expect(started).toHaveLength(1);
  });
});

describe("aiAgentKind: streaming", () => {
  it("yields text deltas and tool events, then the same result as run", async () => {
    const { factory } = setup(
      { fast: [{ calls: [{ name: "read-file", input: { path: "a" } }] }, { text: "No findings in a." }] },
      [template("qa/streamer", { tools: ["read-file"] })],
    );
    const agent = await factory.create("qa/streamer");
    const events: AiStreamEvent[] = [];
    const stream = agent.stream("Check a.");
    for await (const event of stream) events.push(event);
    const types = events.map((event) => event.type);
    expect(types.slice(0, 2)).toEqual(["tool-call", "tool-result"]);
    expect(types.at(-1)).toBe("finish");
    const text = events.flatMap((event) => (event.type === "text-delta" ? [event.text] : [])).join("");
    expect(text).toBe("No findings in a.");
    const result = await stream.result;
    expect(result.text).toBe("No findings in a.");
    expect(result.toolCalls).toHaveLength(1);
    expect(events.at(-1)).toEqual({ type: "finish", result });
  });

  it("aborts in the middle of a stream: iteration ends with NG_ERR_AGENT_ABORTED and the model stream stops", async () => {
    const controller = new AbortController();
    let pulled = 0;
    const model = scriptedModel([{ text: "one two three four five six seven eight" }], {
      onStreamPart: async (index) => {
        pulled = index;
        if (index === 4) controller.abort(new Error("user left"));
      },
    });
    const { factory } = setup({}, [template("qa/abort", { config: { model: "m" } })], { m: model.model });
    const stream = (await factory.create("qa/abort")).stream("Count.", { signal: controller.signal });
    const seen: string[] = [];
    const error = await (async () => {
      for await (const event of stream) if (event.type === "text-delta") seen.push(event.text);
    })().catch((caught: unknown) => caught);
    expect(NextGenError.is(error, "NG_ERR_AGENT_ABORTED")).toBe(true);
    expect(await code(stream.result)).toBe("NG_ERR_AGENT_ABORTED");
    expect(seen.length).toBeLessThan(8);
    expect(pulled).toBeLessThan(10);
  });
});

describe("aiAgentKind: delegation", () => {
  const coordinator = template("analysis/coordinator", {
    role: "specialist",
    instructions: "Split the review between your auditors.",
    agents: ["security/auditor"],
    config: { model: "lead" },
  });

  it("offers listed agents as tools and runs them as verified sub-agents", async () => {
    const { factory, scripted } = setup(
      {
        lead: [
          { calls: [{ name: "delegate_security_auditor", input: { task: "Audit config.env." } }] },
          { text: "The auditor found one high-severity issue." },
        ],
        fast: [{ text: JSON.stringify({ findings: ["key"], severity: "high" }) }],
      },
      [coordinator, auditor],
    );
    const result = await (await factory.create("analysis/coordinator")).run("Review the release.");
    expect(scripted.lead!.calls[0]!.tools?.map((tool) => tool.name)).toEqual(["delegate_security_auditor"]);
    expect(result.toolCalls).toEqual([
      expect.objectContaining({
        toolName: "delegate:security/auditor",
        delegate: "security/auditor",
        output: { findings: ["key"], severity: "high" },
      }),
    ]);
    expect(scripted.fast!.calls[0]!.prompt.at(-1)).toMatchObject({ content: [{ text: "Audit config.env." }] });
  });

  it("never reaches an agent the template does not list", async () => {
    const { factory, scripted } = setup(
      { lead: [{ calls: [{ name: "delegate_qa_other", input: { task: "x" } }] }, { text: "done" }], fast: [] },
      [coordinator, auditor, template("qa/other")],
    );
    const result = await (await factory.create("analysis/coordinator")).run("Go.");
    expect(result.toolCalls[0]?.error).toBeDefined();
    expect(scripted.fast!.calls).toHaveLength(0);
    expect(audit).toContainEqual(expect.objectContaining({ reason: "NG_ERR_TOOL_UNKNOWN" }));
  });
});
