// End to end over HTTP: a real provider package (@ai-sdk/openai-compatible) talks to a
// scripted OpenAI-compatible server on loopback, so the real request path is what is tested.
import { generateKeyPairSync } from "node:crypto";
import { createOpenAICompatible } from "@ai-sdk/openai-compatible";
import {
  type AgentTemplate,
  createAgentFactory,
  defineTool,
  localKeySigner,
  memorySource,
  memoryStateStore,
  signTemplate,
  type TrustedKey,
  toolRegistry,
  trustPolicy,
} from "@nextgen/core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { aiAgentKind } from "./ai-agent-kind.js";
import type { AiStreamEvent } from "./ai-types.js";
import { modelRegistry } from "./model-registry.js";
import { startOpenAiLoopback } from "./testing/openai-loopback.js";
import type { OpenAiLoopback } from "./testing/openai-loopback-types.js";

let loopback: OpenAiLoopback;
beforeAll(async () => {
  loopback = await startOpenAiLoopback();
});
afterAll(() => loopback.close());
const requestBody = (index: number): Record<string, unknown> => loopback.requests[index]!.body;

const instructions = ["You audit change sets for leaked secrets.", "Report every finding with a severity."];
const outputSchema = {
  type: "object",
  properties: { findings: { type: "array", items: { type: "string" } }, severity: { enum: ["low", "high"] } },
  required: ["findings", "severity"],
  additionalProperties: false,
};
const ran: string[] = [];
const tools = toolRegistry({
  "read-file": defineTool({
    description: "Reads one file of the change set.",
    inputSchema: { type: "object", properties: { path: { type: "string" } }, required: ["path"] },
    execute: (input: { path: string }) => {
      ran.push(`read-file ${input.path}`);
      return input.path === ".env" ? "AWS_SECRET=abc123" : "";
    },
  }),
  "secret-scan": defineTool({
    description: "Finds secrets in a text.",
    inputSchema: { type: "object", properties: { text: { type: "string" } }, required: ["text"] },
    execute: (input: { text: string }) => {
      ran.push("secret-scan");
      return /SECRET=/.test(input.text) ? ["AWS secret"] : [];
    },
  }),
  shell: defineTool({ description: "Runs a command.", inputSchema: true, execute: () => ran.push("shell") }),
});

async function signedFactory() {
  const pair = generateKeyPairSync("ed25519");
  const signer = localKeySigner({ key: pair.privateKey, keyId: "release", algorithm: "EdDSA" });
  const template: AgentTemplate = {
    schemaVersion: 1,
    id: "security/auditor",
    version: "1.0.0",
    name: "Security Auditor",
    role: "specialist",
    description: "Finds leaked secrets.",
    instructions,
    tools: ["read-file", "secret-scan"],
    output: outputSchema,
    config: { model: "reasoning", temperature: 0 },
  };
  const signed = await signTemplate(template, signer);
  const provider = createOpenAICompatible({ name: "loopback", baseURL: loopback.baseUrl, apiKey: "test-key" });
  return createAgentFactory({
    source: memorySource([signed]),
    kinds: { specialist: aiAgentKind({ models: modelRegistry({ reasoning: provider.chatModel("scripted-gpt") }) }) },
    tools,
    trust: trustPolicy(
      {
        version: 1,
        keys: [{ ...pair.publicKey.export({ format: "jwk" }), kid: "release", alg: "EdDSA" } as TrustedKey],
      },
      { stateStore: memoryStateStore() },
    ),
  });
}

describe("@nextgen/ai over HTTP with @ai-sdk/openai-compatible", () => {
  it("sends the signed instructions and tool definitions, runs tool calls through the registry, validates the answer", async () => {
    loopback.requests.length = 0;
    ran.length = 0;
    loopback.replies.push(
      { calls: [{ name: "read-file", arguments: '{"path":".env"}' }] },
      {
        calls: [
          { name: "secret-scan", arguments: '{"text":"AWS_SECRET=abc123"}' },
          { name: "shell", arguments: "{}" },
        ],
      },
      { text: '{"findings":["AWS secret in .env"],"severity":"high"}' },
    );
    const agent = await (await signedFactory()).create("security/auditor");
    const result = await agent.run("Review the change set.");
    expect(result.output).toEqual({ findings: ["AWS secret in .env"], severity: "high" });
    expect(ran).toEqual(["read-file .env", "secret-scan"]);
    expect(result.toolCalls.map((call) => [call.toolName, call.error === undefined])).toEqual([
      ["read-file", true],
      ["secret-scan", true],
      ["shell", false],
    ]);
    expect(result.usage).toEqual({ inputTokens: 63, outputTokens: 24, totalTokens: 87 });

    const first = requestBody(0);
    expect(first.model).toBe("scripted-gpt");
    expect(first.temperature).toBe(0);
    expect((first.messages as unknown[])[0]).toEqual({ role: "system", content: instructions.join("\n\n") });
    expect(first.tools).toEqual([
      {
        type: "function",
        function: {
          name: "read-file",
          description: "Reads one file of the change set.",
          parameters: { type: "object", properties: { path: { type: "string" } }, required: ["path"] },
        },
      },
      {
        type: "function",
        function: {
          name: "secret-scan",
          description: "Finds secrets in a text.",
          parameters: { type: "object", properties: { text: { type: "string" } }, required: ["text"] },
        },
      },
    ]);
    // The refused call went back to the model as an error result, never to the tool.
    const third = JSON.stringify(requestBody(2).messages);
    expect(third).toContain("unavailable tool 'shell'");
  });

  it("streams over SSE: text deltas and tool events, then the validated result", async () => {
    loopback.requests.length = 0;
    ran.length = 0;
    loopback.replies.push(
      { calls: [{ name: "read-file", arguments: '{"path":"main.ts"}' }] },
      { text: '{"findings":[],"severity":"low"}' },
    );
    const agent = await (await signedFactory()).create("security/auditor");
    const stream = agent.stream("Review main.ts.");
    const events: AiStreamEvent[] = [];
    for await (const event of stream) events.push(event);
    expect(loopback.requests.every((request) => request.body.stream === true)).toBe(true);
    expect(events.filter((event) => event.type === "tool-call")).toEqual([
      expect.objectContaining({ toolName: "read-file", input: { path: "main.ts" } }),
    ]);
    expect(events.filter((event) => event.type === "text-delta").length).toBeGreaterThan(0);
    const result = await stream.result;
    expect(result.output).toEqual({ findings: [], severity: "low" });
    expect(ran).toEqual(["read-file main.ts"]);
  });
});
