// End to end over HTTP: a real provider package (@ai-sdk/openai-compatible) talks to a
// scripted OpenAI-compatible server on loopback, so the real request path is what is tested.
import { generateKeyPairSync } from "node:crypto";
import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";
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

/** One scripted reply: assistant text, or tool calls with JSON arguments. */
type Reply = { text: string } | { calls: { name: string; arguments: string }[] };

const requests: Record<string, unknown>[] = [];
let replies: Reply[] = [];
let server: Server;
let baseURL = "";

async function body(request: IncomingMessage): Promise<Record<string, unknown>> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request) {
    size += (chunk as Buffer).length;
    if (size > 1_000_000) throw new Error("request too large");
    chunks.push(chunk as Buffer);
  }
  return JSON.parse(Buffer.concat(chunks).toString("utf8")) as Record<string, unknown>;
}

const usage = { prompt_tokens: 21, completion_tokens: 8, total_tokens: 29 };

beforeAll(async () => {
  server = createServer((request, response) => {
    body(request).then(
      (parsed) => {
        requests.push(parsed);
        if (request.url !== "/v1/chat/completions") {
          response.writeHead(404).end();
          return;
        }
        const reply = replies.shift() ?? { text: "(script exhausted)" };
        const toolCalls =
          "calls" in reply
            ? reply.calls.map((call, index) => ({
                id: `call_${requests.length}_${index}`,
                type: "function",
                function: { name: call.name, arguments: call.arguments },
              }))
            : undefined;
        const finish = "calls" in reply ? "tool_calls" : "stop";
        if (parsed.stream === true) {
          response.writeHead(200, { "content-type": "text/event-stream", "cache-control": "no-cache" });
          const send = (data: unknown): boolean => response.write(`data: ${JSON.stringify(data)}\n\n`);
          const chunk = (delta: Record<string, unknown>, finishReason: string | null = null) => ({
            id: "chatcmpl-1",
            object: "chat.completion.chunk",
            created: 1_750_000_000,
            model: "scripted-gpt",
            choices: [{ index: 0, delta, finish_reason: finishReason }],
          });
          send(chunk({ role: "assistant", content: "" }));
          if ("text" in reply) for (const word of reply.text.split(/(?<= )/)) send(chunk({ content: word }));
          else {
            toolCalls?.forEach((call, index) => {
              send(
                chunk({
                  tool_calls: [
                    { index, id: call.id, type: "function", function: { name: call.function.name, arguments: "" } },
                  ],
                }),
              );
              send(chunk({ tool_calls: [{ index, function: { arguments: call.function.arguments } }] }));
            });
          }
          send({ ...chunk({}, finish), usage });
          response.end("data: [DONE]\n\n");
          return;
        }
        response.writeHead(200, { "content-type": "application/json" });
        response.end(
          JSON.stringify({
            id: "chatcmpl-1",
            object: "chat.completion",
            created: 1_750_000_000,
            model: "scripted-gpt",
            choices: [
              {
                index: 0,
                message: { role: "assistant", content: "text" in reply ? reply.text : null, tool_calls: toolCalls },
                finish_reason: finish,
              },
            ],
            usage,
          }),
        );
      },
      () => response.writeHead(400).end(),
    );
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  baseURL = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

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
  const provider = createOpenAICompatible({ name: "loopback", baseURL, apiKey: "test-key" });
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
    requests.length = 0;
    ran.length = 0;
    replies = [
      { calls: [{ name: "read-file", arguments: '{"path":".env"}' }] },
      {
        calls: [
          { name: "secret-scan", arguments: '{"text":"AWS_SECRET=abc123"}' },
          { name: "shell", arguments: "{}" },
        ],
      },
      { text: '{"findings":["AWS secret in .env"],"severity":"high"}' },
    ];
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

    const first = requests[0]!;
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
    const third = JSON.stringify(requests[2]!.messages);
    expect(third).toContain("unavailable tool 'shell'");
  });

  it("streams over SSE: text deltas and tool events, then the validated result", async () => {
    requests.length = 0;
    ran.length = 0;
    replies = [
      { calls: [{ name: "read-file", arguments: '{"path":"main.ts"}' }] },
      { text: '{"findings":[],"severity":"low"}' },
    ];
    const agent = await (await signedFactory()).create("security/auditor");
    const stream = agent.stream("Review main.ts.");
    const events: AiStreamEvent[] = [];
    for await (const event of stream) events.push(event);
    expect(requests.every((request) => request.stream === true)).toBe(true);
    expect(events.filter((event) => event.type === "tool-call")).toEqual([
      expect.objectContaining({ toolName: "read-file", input: { path: "main.ts" } }),
    ]);
    expect(events.filter((event) => event.type === "text-delta").length).toBeGreaterThan(0);
    const result = await stream.result;
    expect(result.output).toEqual({ findings: [], severity: "low" });
    expect(ran).toEqual(["read-file main.ts"]);
  });
});
