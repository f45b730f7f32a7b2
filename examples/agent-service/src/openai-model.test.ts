// The OpenAI-compatible model path end to end: the service configured with OPENAI_API_KEY and
// OPENAI_BASE_URL pointing at a scripted chat completions server on loopback, so a run goes
// HTTP → service → @nextgen/ai → @ai-sdk/openai-compatible → HTTP → the scripted model, and the
// model's tool calls run through the service's tool registry.
import { readFile } from "node:fs/promises";
import { type OpenAiLoopback, startOpenAiLoopback } from "@nextgen/ai/testing";
import { type AuditRecord, verifyAuditLog } from "@nextgen/core";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { type Harness, startHarness } from "./test-support/service-harness.js";

let model: OpenAiLoopback;
let api: Harness;
let runner: string;
beforeAll(async () => {
  model = await startOpenAiLoopback();
  api = await startHarness({
    OPENAI_API_KEY: "loopback-key",
    OPENAI_BASE_URL: model.baseUrl,
    OPENAI_MODEL: "loopback-reasoning",
    OPENAI_MODEL_FAST: "loopback-fast",
  });
  runner = await api.token(["runner"], "ci-bot");
}, 60_000);
afterAll(async () => {
  await api?.close();
  await model?.close();
});
beforeEach(() => {
  model.requests.length = 0;
  model.replies.length = 0;
});

interface RunBody {
  runId: string;
  result: {
    text: string;
    finishReason: string;
    toolCalls: { toolName: string; output?: { tool: string; severity: string }[]; error?: unknown }[];
    usage: { totalTokens: number };
  };
}

const input = "const key = 'AKIAABCDEFGHIJKLMNOP';";
const messagesOf = (index: number) => model.requests[index]!.body.messages as { role: string; content: unknown }[];

describe("OPENAI_BASE_URL: a run through an OpenAI-compatible server", () => {
  it("names the configured model in /healthz/ready's banner and starts without the scripted model", () => {
    expect(api.service.model).toBe(`loopback-fast (fast) and loopback-reasoning (reasoning) at ${model.baseUrl}`);
  });

  it("sends the signed instructions and only the granted tools, runs the model's tool calls, answers its text", async () => {
    model.replies.push(
      { calls: [{ name: "secret-scan", arguments: JSON.stringify({ text: input }) }] },
      { text: "1 critical finding: an AWS access key in the change." },
    );
    const response = await api.request("POST", "/v1/agents/security/auditor/runs", { body: { input }, token: runner });
    expect(response.status).toBe(200);
    const body = response.json() as unknown as RunBody;
    expect(body.result).toMatchObject({
      text: "1 critical finding: an AWS access key in the change.",
      finishReason: "stop",
    });
    expect(body.result.toolCalls).toEqual([
      expect.objectContaining({
        toolName: "secret-scan",
        output: [expect.objectContaining({ tool: "secret-scan", severity: "critical" })],
      }),
    ]);
    expect(body.result.usage.totalTokens).toBe(58);

    // Two model calls, with the API key, to the template's model ("reasoning").
    expect(model.requests).toHaveLength(2);
    expect(model.requests.map((request) => request.authorization)).toEqual([
      "Bearer loopback-key",
      "Bearer loopback-key",
    ]);
    expect(model.requests[0]!.body.model).toBe("loopback-reasoning");
    const first = messagesOf(0);
    expect(first[0]).toMatchObject({ role: "system" });
    expect(String(first[0]!.content)).toContain("You are the security auditor");
    expect(first.at(-1)).toMatchObject({ role: "user" });
    expect(JSON.stringify(first.at(-1)!.content)).toContain("AKIAABCDEFGHIJKLMNOP");
    // security/auditor@2.0.0 grants diff-stats (from base/specialist), secret-scan, dependency-audit, license-check.
    const offered = (model.requests[0]!.body.tools as { function: { name: string } }[]).map(
      (tool) => tool.function.name,
    );
    expect(offered.sort()).toEqual(["dependency-audit", "diff-stats", "license-check", "secret-scan"]);
    // The second call carries the tool's result back to the model.
    expect(messagesOf(1).find((message) => message.role === "tool")).toBeDefined();
    expect(JSON.stringify(messagesOf(1))).toContain("secret-scan");

    await api.service.flushAudit();
    const records = (await readFile(api.service.auditLog, "utf8"))
      .trim()
      .split("\n")
      .map((line) => JSON.parse(line) as AuditRecord);
    const run = records.find((record) => record.action === "agent.run" && record.resource?.startsWith(body.runId));
    expect(run).toMatchObject({
      actor: "ci-bot",
      decision: "succeeded",
      resource: `${body.runId} security/auditor@2.0.0`,
    });
    expect(await verifyAuditLog([api.service.auditLog])).toMatchObject({ ok: true, records: records.length });
  });

  it("refuses a tool call the template does not grant, without running it", async () => {
    model.replies.push({ calls: [{ name: "pii-scan", arguments: JSON.stringify({ text: input }) }] }, { text: "done" });
    const response = await api.request("POST", "/v1/agents/security/auditor/runs", { body: { input }, token: runner });
    expect(response.status).toBe(200);
    const body = response.json() as unknown as RunBody;
    expect(body.result.toolCalls).toEqual([
      expect.objectContaining({ toolName: "pii-scan", error: expect.anything() }),
    ]);
    expect(body.result.toolCalls[0]!.output).toBeUndefined();
  });

  it("answers a coded problem when the model server fails, not a crash", async () => {
    // No reply scripted: the server answers 500 to every attempt.
    const response = await api.request("POST", "/v1/agents/security/auditor/runs", { body: { input }, token: runner });
    expect(response.status).toBeGreaterThanOrEqual(500);
    expect(response.headers.get("content-type")).toMatch(/^application\/problem\+json/);
    expect(String(response.json().code)).toMatch(/^NG_ERR_/);
    expect(model.requests.length).toBeGreaterThanOrEqual(1);
    // The service still serves the next run.
    model.replies.push({ text: "no findings" });
    const next = await api.request("POST", "/v1/agents/security/auditor/runs", { body: { input }, token: runner });
    expect(next.status).toBe(200);
  });
});
