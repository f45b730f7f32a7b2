import diagnosticsChannel from "node:diagnostics_channel";
import { PerformanceObserver } from "node:perf_hooks";
import { AGENT_CREATE_CHANNEL, createAgentFactory, memorySource } from "@nextgen/core";
import { instrument } from "@nextgen/otel";
import { registerPrometheusMetrics } from "@nextgen/otel/prometheus";
import { MeterProvider, MetricReader } from "@opentelemetry/sdk-metrics";
import { BasicTracerProvider, BatchSpanProcessor } from "@opentelemetry/sdk-trace-base";
import { Registry } from "prom-client";
import { AUDITOR_ID, auditorTools, Specialist, signedAuditor } from "./support/signed-auditor.mjs";

const ROUNDS = Number(process.env.ROUNDS ?? 7);
const CREATES = Number(process.env.CREATES ?? 100_000);

const { template: signed, trust } = await signedAuditor("bench-otel");
const factory = createAgentFactory({
  source: memorySource([signed]),
  kinds: { specialist: Specialist },
  tools: auditorTools(),
  trust,
});
await factory.create(AUDITOR_ID); // warm it: resolve, verify the signature, cache
if (trust.cryptoOperations !== 1) throw new Error(`expected 1 signature verification, saw ${trust.cryptoOperations}`);

const dropSpans = { export: (_spans, done) => done({ code: 0 }), shutdown: async () => {}, forceFlush: async () => {} };
class IdleReader extends MetricReader {
  async onForceFlush() {}
  async onShutdown() {}
}

const ignore = () => {};
const emptySubscriber = { start: ignore, end: ignore, asyncStart: ignore, asyncEnd: ignore, error: ignore };

const scenarios = {
  baseline: () => () => {},
  "channel-floor": () => {
    const channel = diagnosticsChannel.tracingChannel(AGENT_CREATE_CHANNEL);
    channel.subscribe(emptySubscriber);
    return () => channel.unsubscribe(emptySubscriber);
  },
  "otel-api-noop": () => {
    const instrumentation = instrument();
    return () => instrumentation.close();
  },
  "otel-sdk": () => {
    const tracerProvider = new BasicTracerProvider({ spanProcessors: [new BatchSpanProcessor(dropSpans)] });
    const meterProvider = new MeterProvider({ readers: [new IdleReader()] });
    const instrumentation = instrument({ tracerProvider, meterProvider });
    return () => {
      instrumentation.close();
      void tracerProvider.shutdown();
      void meterProvider.shutdown();
    };
  },
  prometheus: () => {
    const prometheus = registerPrometheusMetrics({ registry: new Registry() });
    return () => prometheus.close();
  },
};

let collections = 0;
new PerformanceObserver((list) => {
  collections += list.getEntries().length;
}).observe({ entryTypes: ["gc"] });
const settle = () => new Promise((resolve) => setTimeout(resolve, 5)); // let GC entries arrive

async function perCreateMicros(count) {
  const started = performance.now();
  for (let index = 0; index < count; index++) await factory.create(AUDITOR_ID);
  return ((performance.now() - started) * 1000) / count;
}

const names = Object.keys(scenarios);
const samples = Object.fromEntries(names.map((name) => [name, []]));
const gcSamples = Object.fromEntries(names.map((name) => [name, []]));
for (let round = 0; round < ROUNDS; round++) {
  for (let offset = 0; offset < names.length; offset++) {
    const name = names[(offset + round) % names.length];
    const teardown = scenarios[name]();
    await perCreateMicros(CREATES / 10); // warm-up: JIT and first-use allocations
    await settle();
    const before = collections;
    samples[name].push(await perCreateMicros(CREATES));
    await settle();
    gcSamples[name].push(((collections - before) * 100_000) / CREATES);
    teardown();
  }
}

const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
const baseline = median(samples.baseline);
console.log(`warm factory.create, median of ${ROUNDS} rounds × ${CREATES} creates, Node ${process.version}`);
console.log("| scenario | per create | added | ratio to baseline | GCs per 100k creates |");
console.log("|---|---|---|---|---|");
for (const name of names) {
  const value = median(samples[name]);
  const added = name === "baseline" ? "—" : `+${(value - baseline).toFixed(2)} µs`;
  const gcs = median(gcSamples[name]).toFixed(0);
  console.log(`| ${name} | ${value.toFixed(2)} µs | ${added} | ${(value / baseline).toFixed(1)}× | ${gcs} |`);
}
console.log(`signature verifications (Ed25519, requireSignatures: true): ${trust.cryptoOperations}, at the warm-up`);
await factory.close();
