import {
  createNoopMeter,
  type Meter,
  type MeterProvider,
  metrics,
  ProxyTracerProvider,
  type TracerProvider,
  trace,
} from "@opentelemetry/api";
import { afterEach, describe, expect, it } from "vitest";
import { openTelemetryRegistered } from "./opentelemetry-sdk.js";

describe("openTelemetryRegistered", () => {
  afterEach(() => {
    trace.disable();
    metrics.disable();
  });

  it("is false with the API's no-op providers (no SDK registered)", () => {
    expect(openTelemetryRegistered()).toBe(false);
  });

  it("is true once an SDK registered a tracer provider", () => {
    // Any provider stands for the SDK's; its tracers may well be no-ops (a sampler's choice).
    const tracer = new ProxyTracerProvider().getTracer("test");
    const provider: TracerProvider = { getTracer: () => tracer };
    expect(trace.setGlobalTracerProvider(provider)).toBe(true);
    expect(openTelemetryRegistered()).toBe(true);
    trace.disable();
    expect(openTelemetryRegistered()).toBe(false);
  });

  it("is true once an SDK registered a meter provider (metrics without tracing)", () => {
    const meter = { ...createNoopMeter() } as Meter;
    const provider: MeterProvider = { getMeter: () => meter };
    expect(metrics.setGlobalMeterProvider(provider)).toBe(true);
    expect(openTelemetryRegistered()).toBe(true);
  });
});
