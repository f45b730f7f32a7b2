// The OpenTelemetry SDK parts the tests use, wired explicitly (no global registration).
import {
  AggregationTemporality,
  MeterProvider,
  type MetricData,
  MetricReader,
  type ResourceMetrics,
} from "@opentelemetry/sdk-metrics";
import {
  BasicTracerProvider,
  InMemorySpanExporter,
  type ReadableSpan,
  SimpleSpanProcessor,
} from "@opentelemetry/sdk-trace-base";

/** A reader the test collects from on demand. */
export class CollectingReader extends MetricReader {
  constructor() {
    super({ aggregationTemporalitySelector: () => AggregationTemporality.CUMULATIVE });
  }
  protected override onForceFlush(): Promise<void> {
    return Promise.resolve();
  }
  protected override onShutdown(): Promise<void> {
    return Promise.resolve();
  }
}

export interface TestSdk {
  exporter: InMemorySpanExporter;
  tracerProvider: BasicTracerProvider;
  reader: CollectingReader;
  meterProvider: MeterProvider;
  shutdown(): Promise<void>;
}

export function createTestSdk(): TestSdk {
  const exporter = new InMemorySpanExporter();
  const tracerProvider = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] });
  const reader = new CollectingReader();
  const meterProvider = new MeterProvider({ readers: [reader] });
  return {
    exporter,
    tracerProvider,
    reader,
    meterProvider,
    shutdown: async () => {
      await tracerProvider.shutdown();
      await meterProvider.shutdown();
    },
  };
}

/** The one finished span called `name` (fails loudly when there are none or several). */
export function spanNamed(spans: readonly ReadableSpan[], name: string): ReadableSpan {
  const found = spans.filter((span) => span.name === name);
  if (found.length !== 1) throw new Error(`expected one span "${name}", got ${found.length}: ${spans.map((s) => s.name)}`);
  return found[0] as ReadableSpan;
}

/** `parent > child` lines, to compare a whole tree at once. */
export function treeOf(spans: readonly ReadableSpan[]): string[] {
  const byId = new Map(spans.map((span) => [span.spanContext().spanId, span]));
  return spans
    .map((span) => {
      const parent = byId.get(span.parentSpanContext?.spanId ?? "");
      return `${parent?.name ?? "(root)"} > ${span.name}`;
    })
    .sort();
}

/** Data points of one metric from a collection. */
export function pointsOf(resourceMetrics: ResourceMetrics, name: string): MetricData {
  for (const scope of resourceMetrics.scopeMetrics) {
    for (const metric of scope.metrics) if (metric.descriptor.name === name) return metric;
  }
  throw new Error(`no metric ${name}`);
}
