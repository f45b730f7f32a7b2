// Errors, options and lifecycle of instrument(), without a host context manager (our own
// storage): what a failure looks like on a span, that telemetry never throws into core,
// and that close() leaves nothing subscribed.
import diagnosticsChannel from "node:diagnostics_channel";
import { AGENT_CREATE_CHANNEL, CACHE_LOOKUP_CHANNEL, NextGenError, OptionsError } from "@nextgen/core";
import { SpanStatusCode } from "@opentelemetry/api";
import { describe, expect, it } from "vitest";
import { channels, coldCreate, runContext, tracePromise } from "./__fixtures__/core-events.js";
import { spanNamed } from "./__fixtures__/otel-sdk.js";
import { sdkPerTest } from "./__fixtures__/sdk-per-test.js";
import { instrument } from "./instrument.js";

const t = sdkPerTest();

describe("instrument() errors, options and lifecycle", () => {
  it("marks a refused verification and the failed create as errors with the NG_ERR code", async () => {
    t.instrumentation = instrument({ tracerProvider: t.sdk.tracerProvider, meterProvider: t.sdk.meterProvider });
    await expect(coldCreate({ refuse: true })).rejects.toThrow("no trusted key");
    const spans = t.sdk.exporter.getFinishedSpans();
    const verify = spanNamed(spans, "trust.verify");
    expect(verify.status).toEqual({ code: SpanStatusCode.ERROR, message: "no trusted key verifies security/auditor" });
    expect(verify.attributes).toMatchObject({
      "error.type": "NG_ERR_SIGNATURE_KEY_UNKNOWN",
      "nextgen.trust.reason": "unknown-key",
    });
    const create = spanNamed(spans, "create_agent security/auditor");
    expect(create.status.code).toBe(SpanStatusCode.ERROR);
    expect(create.attributes["error.type"]).toBe("NG_ERR_SIGNATURE_KEY_UNKNOWN");
    expect(create.events.map((event) => event.name)).toEqual(["exception"]);
  });

  it("reports a NextGenError's code as error.type on invoke_agent", async () => {
    t.instrumentation = instrument({ tracerProvider: t.sdk.tracerProvider, meterProvider: t.sdk.meterProvider });
    const failure = new NextGenError("NG_ERR_TEMPLATE_NOT_FOUND", "gone");
    await expect(tracePromise(channels.agentRun, () => Promise.reject(failure), runContext())).rejects.toBe(failure);
    const invoke = spanNamed(t.sdk.exporter.getFinishedSpans(), "invoke_agent Security Auditor");
    expect(invoke.attributes["error.type"]).toBe("NG_ERR_TEMPLATE_NOT_FOUND");
  });

  it("sets gen_ai.provider.name on the agent spans only when the host names the provider", async () => {
    expect(() => instrument({ genAiProviderName: "" })).toThrow(/options\.genAiProviderName/);
    t.instrumentation = instrument({ tracerProvider: t.sdk.tracerProvider, genAiProviderName: "anthropic" });
    await coldCreate();
    await tracePromise(channels.agentRun, async () => {}, runContext());
    const spans = t.sdk.exporter.getFinishedSpans();
    expect(spanNamed(spans, "create_agent Security Auditor").attributes["gen_ai.provider.name"]).toBe("anthropic");
    expect(spanNamed(spans, "invoke_agent Security Auditor").attributes["gen_ai.provider.name"]).toBe("anthropic");
    expect(spanNamed(spans, "template.resolve").attributes).not.toHaveProperty("gen_ai.provider.name");
    t.instrumentation.close();
    t.sdk.exporter.reset();
    t.instrumentation = instrument({ tracerProvider: t.sdk.tracerProvider });
    await coldCreate();
    const create = spanNamed(t.sdk.exporter.getFinishedSpans(), "create_agent Security Auditor");
    expect(create.attributes).not.toHaveProperty("gen_ai.provider.name");
  });

  it("never throws into core when the tracer or meter fails", async () => {
    const broken = () => {
      throw new Error("exporter on fire");
    };
    const tracerProvider = { getTracer: () => ({ startSpan: broken, startActiveSpan: broken }) };
    const instrument_ = instrument({
      tracerProvider: tracerProvider as never,
      meterProvider: t.sdk.meterProvider,
    });
    t.instrumentation = instrument_;
    const created = await coldCreate();
    expect(created.instanceId).toBe("agt_1");
  });

  it("writes no traceparent when spans are not recorded (no SDK registered)", async () => {
    t.instrumentation = instrument();
    const run = runContext();
    await tracePromise(channels.agentRun, async () => {}, run);
    expect(run.traceCarrier?.traceparent).toBeUndefined();
  });

  it("close() unsubscribes everything and is idempotent", async () => {
    const create = diagnosticsChannel.tracingChannel(AGENT_CREATE_CHANNEL);
    const lookups = diagnosticsChannel.channel(CACHE_LOOKUP_CHANNEL);
    const closing = instrument({ tracerProvider: t.sdk.tracerProvider, meterProvider: t.sdk.meterProvider });
    expect(create.hasSubscribers).toBe(true);
    closing.close();
    closing.close();
    expect(create.hasSubscribers).toBe(false);
    expect(lookups.hasSubscribers).toBe(false);
    await coldCreate();
    expect(t.sdk.exporter.getFinishedSpans()).toEqual([]);
  });

  it("refuses providers that are not providers, naming the option", () => {
    expect(() => instrument({ tracerProvider: {} as never })).toThrow(OptionsError);
    expect(() => instrument({ meterProvider: { getMeter: 1 } as never })).toThrow(/options\.meterProvider/);
  });
});
