import diagnosticsChannel from "node:diagnostics_channel";
import { AUDIT_CHANNEL } from "@nextgen/core";
import { traceModelCall, traceToolCall } from "@nextgen/core/internal";
import { Registry } from "prom-client";
import { describe, expect, it } from "vitest";
import { channels, runContext, tracePromise } from "../__fixtures__/core-events.js";
import { pointsOf, spanNamed, treeOf } from "../__fixtures__/otel-sdk.js";
import { sdkPerTest } from "../__fixtures__/sdk-per-test.js";
import { instrument } from "../instrument.js";
import { registerGenAiPrometheusMetrics } from "../prometheus/genai-prometheus.js";

const agent = { instanceId: "agt_1", templateId: "security/auditor", agentName: "Security Auditor", version: "1.2.0" };

/** What @nextgen/ai publishes for a two-step run: a model call asking for a tool, the tool, the answer. */
async function aiRun(options: { content?: boolean } = {}) {
  const run = { ...runContext(), model: "fast" };
  await tracePromise(
    channels.agentRun,
    async () => {
      for (const step of [1, 2]) {
        await traceModelCall(
          () => ({
            ...agent,
            model: "fast",
            provider: "openai.chat",
            step,
            streamed: step === 2,
            ...(options.content ? { content: { input: [{ role: "user", content: "secret prompt" }] } } : {}),
          }),
          async (context) => {
            if (!context) return;
            context.inputTokens = 100 * step;
            context.outputTokens = 10 * step;
            context.finishReason = step === 1 ? "tool-calls" : "stop";
            context.responseModel = "gpt-4o-mini-2024-07-18";
            if (step === 2) context.timeToFirstTokenMs = 12;
          },
        );
        if (step === 1) {
          await traceToolCall(
            () => ({ ...agent, toolName: "read-file", toolCallId: "call_1" }),
            async (context) => {
              if (context) context.outcome = "ok";
            },
          );
        }
      }
      run.inputTokens = 300;
      run.outputTokens = 30;
    },
    run,
  );
}

const t = sdkPerTest();

describe("GenAI telemetry", () => {
  it("nests one chat span per step and one execute_tool span per call under invoke_agent, with usage", async () => {
    t.instrumentation = instrument({ tracerProvider: t.sdk.tracerProvider, meterProvider: t.sdk.meterProvider });
    await aiRun();
    const spans = t.sdk.exporter.getFinishedSpans();
    expect(treeOf(spans)).toEqual([
      "(root) > invoke_agent Security Auditor",
      "invoke_agent Security Auditor > chat fast",
      "invoke_agent Security Auditor > chat fast",
      "invoke_agent Security Auditor > execute_tool read-file",
    ]);
    const invoke = spanNamed(spans, "invoke_agent Security Auditor");
    expect(invoke.attributes).toMatchObject({
      "gen_ai.agent.name": "Security Auditor",
      "gen_ai.agent.version": "1.2.0",
      "gen_ai.request.model": "fast",
      "gen_ai.usage.input_tokens": 300,
      "gen_ai.usage.output_tokens": 30,
    });
    const [first, second] = spans.filter((span) => span.name === "chat fast");
    expect(first?.attributes).toMatchObject({
      "gen_ai.operation.name": "chat",
      "gen_ai.provider.name": "openai.chat",
      "gen_ai.request.model": "fast",
      "gen_ai.response.model": "gpt-4o-mini-2024-07-18",
      "gen_ai.usage.input_tokens": 100,
      "gen_ai.response.finish_reasons": ["tool-calls"],
    });
    expect(second?.attributes["nextgen.genai.time_to_first_token_ms"]).toBe(12);
    expect(first?.attributes["gen_ai.input.messages"]).toBeUndefined();
    const tool = spanNamed(spans, "execute_tool read-file");
    expect(tool.attributes).toMatchObject({
      "gen_ai.operation.name": "execute_tool",
      "gen_ai.tool.name": "read-file",
      "gen_ai.tool.call.id": "call_1",
      "nextgen.tool.outcome": "ok",
    });

    const { resourceMetrics } = await t.sdk.reader.collect();
    const usage = pointsOf(resourceMetrics, "gen_ai.client.token.usage");
    const sums = Object.fromEntries(
      usage.dataPoints.map((point) => [point.attributes["gen_ai.token.type"], (point.value as { sum: number }).sum]),
    );
    expect(sums).toEqual({ input: 300, output: 30 });
    const duration = pointsOf(resourceMetrics, "gen_ai.client.operation.duration");
    expect(duration.dataPoints[0]?.attributes).toMatchObject({
      "gen_ai.request.model": "fast",
      "gen_ai.operation.name": "chat",
    });
    expect(duration.dataPoints[0]?.value).toMatchObject({ count: 2 });
  });

  it("records prompt content only when the kind recorded it (the host opted in)", async () => {
    t.instrumentation = instrument({ tracerProvider: t.sdk.tracerProvider, meterProvider: t.sdk.meterProvider });
    await aiRun({ content: true });
    const [first] = t.sdk.exporter.getFinishedSpans().filter((span) => span.name === "chat fast");
    expect(first?.attributes["gen_ai.input.messages"]).toBe('[{"role":"user","content":"secret prompt"}]');
  });

  it("counts tokens by template and model, tool calls by outcome and refused calls by reason in Prometheus", async () => {
    const registry = new Registry();
    const genai = registerGenAiPrometheusMetrics({ registry });
    try {
      await aiRun();
      diagnosticsChannel.channel(AUDIT_CHANNEL).publish({
        type: "tool.call",
        time: 0,
        verdict: "refused",
        reason: "NG_ERR_TOOL_UNKNOWN",
        detail: { tool: "shell" },
      });
      const text = await registry.metrics();
      expect(text).toContain(
        'nextgen_genai_tokens_total{template_id="security/auditor",model="fast",type="input"} 300',
      );
      expect(text).toContain(
        'nextgen_genai_tokens_total{template_id="security/auditor",model="fast",type="output"} 30',
      );
      expect(text).toContain('nextgen_genai_tool_calls_total{tool="read-file",outcome="ok"} 1');
      expect(text).toContain('nextgen_tool_calls_refused_total{reason="NG_ERR_TOOL_UNKNOWN"} 1');
      expect(text).not.toContain("secret prompt");
    } finally {
      genai.close();
    }
    expect(await registry.metrics()).not.toContain("genai_tokens_total");
    expect(() => registerGenAiPrometheusMetrics({ registry: undefined as never })).toThrow(/options.registry/);
  });
});
