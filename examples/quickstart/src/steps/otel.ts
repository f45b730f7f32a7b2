import { generateKeyPairSync } from "node:crypto";
import {
  Agent,
  createAgentFactory,
  localKeySigner,
  memorySource,
  memoryStateStore,
  signTemplate,
  type TrustedKey,
  toolRegistry,
  trustPolicy,
} from "@nextgen/core";
import { instrument } from "@nextgen/otel";
import { registerPrometheusMetrics } from "@nextgen/otel/prometheus";
import {
  BasicTracerProvider,
  InMemorySpanExporter,
  type ReadableSpan,
  SimpleSpanProcessor,
} from "@opentelemetry/sdk-trace-base";
import { Registry } from "prom-client";
import type { QuickstartStep } from "../context.js";

class Greeter extends Agent<string, string> {
  protected execute(task: string): string {
    return `hello, ${task}`;
  }
}

/** Prints `spans` as an indented tree, children under their parent. */
function printTree(spans: readonly ReadableSpan[]): void {
  const ids = new Set(spans.map((span) => span.spanContext().spanId));
  const children = new Map<string | undefined, ReadableSpan[]>();
  for (const span of spans) {
    const parent = span.parentSpanContext?.spanId;
    const key = parent !== undefined && ids.has(parent) ? parent : undefined;
    children.set(key, [...(children.get(key) ?? []), span]);
  }
  const walk = (parent: string | undefined, depth: number): void => {
    for (const span of children.get(parent) ?? []) {
      const ms = (span.duration[0] * 1e3 + span.duration[1] / 1e6).toFixed(3);
      const detail = span.attributes["nextgen.trust.verdict"] ?? span.attributes["gen_ai.agent.id"] ?? "";
      console.log(`  ${"  ".repeat(depth)}${span.name.padEnd(32 - depth * 2)} ${ms.padStart(8)} ms  ${detail}`);
      walk(span.spanContext().spanId, depth + 1);
    }
  };
  walk(undefined, 0);
}

/** Traces and metrics: one create as a span tree, and what Prometheus would scrape. */
export const otelStep: QuickstartStep = async (context) => {
  context.heading("Observability: OpenTelemetry spans and Prometheus metrics");
  // A signed template and a policy trusting its key, so the cold create verifies it.
  const pair = generateKeyPairSync("ed25519");
  const signer = localKeySigner({ key: pair.privateKey, keyId: "demo-2026", algorithm: "EdDSA" });
  const template = await signTemplate(
    {
      schemaVersion: 1,
      id: "demo/greeter",
      version: "1.0.0",
      name: "Greeter",
      role: "specialist",
      description: "Says hello.",
    },
    signer,
  );
  const key = { ...pair.publicKey.export({ format: "jwk" }), kid: "demo-2026", alg: "EdDSA" } as TrustedKey;
  // A throwaway demo: rollback marks in memory, chosen explicitly (no warning).
  const trust = trustPolicy({ version: 1, keys: [key] }, { stateStore: memoryStateStore() });

  const exporter = new InMemorySpanExporter();
  const tracerProvider = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] });
  const instrumentation = instrument({ tracerProvider });
  const registry = new Registry();
  const prometheus = registerPrometheusMetrics({ registry, trust });
  const factory = createAgentFactory({
    source: memorySource([template]),
    trust,
    kinds: { specialist: Greeter },
    tools: toolRegistry({}),
  });
  try {
    const agent = await factory.create("demo/greeter");
    console.log("Span tree of one cold create (resolve, then signature verification):");
    printTree(exporter.getFinishedSpans());
    exporter.reset();
    console.log(`Run: ${await (agent as Greeter).run("world")}`);
    printTree(exporter.getFinishedSpans());
    for (let index = 0; index < 99; index++) await factory.create("demo/greeter");
    const wanted =
      /^nextgen_(agents_created_total|agent_create_duration_seconds_(count|sum)|agent_run_duration_seconds_count|signature_verdicts_total)/;
    const lines = (await registry.metrics()).split("\n").filter((line) => wanted.test(line));
    console.log("Prometheus metrics after 100 creates and one run (excerpt of GET /metrics):");
    for (const line of lines) console.log(`  ${line}`);
  } finally {
    instrumentation.close();
    prometheus.close();
    await factory.close();
    await tracerProvider.shutdown();
  }
};
