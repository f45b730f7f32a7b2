import { DataPointType } from "@opentelemetry/sdk-metrics";
import { expect, it } from "vitest";
import { coldCreate, evict, KEY_EXPIRY_MS, lookup, scale, warmCreate } from "../__fixtures__/core-events.js";
import { pointsOf } from "../__fixtures__/otel-sdk.js";
import { sdkPerTest } from "../__fixtures__/sdk-per-test.js";
import { instrument } from "../instrument.js";
import { CREATE_DURATION_BUCKETS_SECONDS } from "./buckets.js";

const t = sdkPerTest();

async function collect() {
  const { resourceMetrics, errors } = await t.sdk.reader.collect();
  expect(errors).toEqual([]);
  return resourceMetrics;
}

it("records create duration with the 1 µs … 10 s buckets, agents by kind, cache and trust outcomes", async () => {
  t.instrumentation = instrument({ tracerProvider: t.sdk.tracerProvider, meterProvider: t.sdk.meterProvider });
  await coldCreate();
  await warmCreate();
  await expect(coldCreate({ refuse: true })).rejects.toThrow();
  evict({ tier: "memory", key: "security/auditor@1.2.0", reason: "capacity" });
  scale({ pool: "auditor", from: 1, to: 3, reason: "queue wait" });
  const metrics = await collect();

  const duration = pointsOf(metrics, "nextgen.agent.create.duration");
  expect(duration.descriptor.unit).toBe("s");
  expect(duration.dataPointType).toBe(DataPointType.HISTOGRAM);
  const byOutcome = new Map(
    duration.dataPoints.map((point) => [String(point.attributes["error.type"] ?? "ok"), point.value]),
  );
  expect(byOutcome.get("ok")).toMatchObject({ count: 2, buckets: { boundaries: CREATE_DURATION_BUCKETS_SECONDS } });
  expect(byOutcome.get("NG_ERR_SIGNATURE_KEY_UNKNOWN")).toMatchObject({ count: 1 });
  // Template ids stay out of metrics unless opted in.
  expect(duration.dataPoints.every((point) => !("nextgen.template.id" in point.attributes))).toBe(true);

  const created = pointsOf(metrics, "nextgen.agent.created").dataPoints;
  expect(created.map((point) => [point.attributes, point.value])).toEqual([
    [{ "nextgen.agent.kind": "specialist", "nextgen.template.cached": false }, 1],
    [{ "nextgen.agent.kind": "specialist", "nextgen.template.cached": true }, 1],
  ]);

  const requests = pointsOf(metrics, "nextgen.cache.requests").dataPoints.map((point) => [
    point.attributes["nextgen.cache.tier"],
    point.attributes["nextgen.cache.result"],
    point.value,
  ]);
  expect(requests).toEqual(
    expect.arrayContaining([
      ["memory", "miss", 2],
      ["file", "miss", 2],
      ["memory", "hit", 1],
    ]),
  );
  const age = pointsOf(metrics, "nextgen.cache.entry.age").dataPoints[0]?.value as { sum: number };
  expect(age.sum).toBe(42);

  const verdicts = pointsOf(metrics, "nextgen.trust.verdicts").dataPoints.map((point) => [
    point.attributes,
    point.value,
  ]);
  expect(verdicts).toEqual(
    expect.arrayContaining([
      [{ "nextgen.trust.verdict": "accepted", "nextgen.trust.reason": "none" }, 1],
      [{ "nextgen.trust.verdict": "refused", "nextgen.trust.reason": "unknown-key" }, 1],
    ]),
  );
  expect(pointsOf(metrics, "nextgen.trust.key.expiry").dataPoints[0]?.value).toBe(KEY_EXPIRY_MS / 1000);
  expect(pointsOf(metrics, "nextgen.codec.bytes_out").dataPoints[0]?.value).toBe(2 * 2048);
  expect(pointsOf(metrics, "nextgen.cache.evictions").dataPoints[0]?.attributes).toEqual({
    "nextgen.cache.tier": "memory",
    "nextgen.cache.evict_reason": "capacity",
  });
  expect(pointsOf(metrics, "nextgen.pool.threads").dataPoints[0]?.value).toBe(3);
});

it("marks a tier down after a failed lookup and up again after a good one", async () => {
  t.instrumentation = instrument({ tracerProvider: t.sdk.tracerProvider, meterProvider: t.sdk.meterProvider });
  lookup({ tier: "redis", level: 1, result: "error", durationMs: 5 });
  expect(pointsOf(await collect(), "nextgen.cache.tier.up").dataPoints[0]?.value).toBe(0);
  lookup({ tier: "redis", level: 1, result: "miss", durationMs: 1 });
  expect(pointsOf(await collect(), "nextgen.cache.tier.up").dataPoints[0]?.value).toBe(1);
});

it("adds the template id to agent metrics only when asked", async () => {
  t.instrumentation = instrument({ meterProvider: t.sdk.meterProvider, includeTemplateId: true });
  await warmCreate();
  const created = pointsOf(await collect(), "nextgen.agent.created").dataPoints[0];
  expect(created?.attributes["nextgen.template.id"]).toBe("security/auditor");
});

it("observes the trust policy's earliest key expiry", async () => {
  const trust = { earliestKeyExpiry: new Date(Date.UTC(2027, 0, 1)) };
  t.instrumentation = instrument({ meterProvider: t.sdk.meterProvider, trust });
  const gauge = pointsOf(await collect(), "nextgen.trust.earliest_key.expiry");
  expect(gauge.dataPoints[0]?.value).toBe(1798761600);
  t.instrumentation.close();
  // Closed: the callback no longer runs, so a new expiry is not observed.
  trust.earliestKeyExpiry = new Date(Date.UTC(2028, 0, 1));
  const after = pointsOf(await collect(), "nextgen.trust.earliest_key.expiry").dataPoints.map((point) => point.value);
  expect(after).not.toContain(1830297600);
});

it("observes the pools passed in at each collection, and event-fed pools from their last event", async () => {
  let queued = 2;
  const pools = [
    { stats: () => ({ name: "indexer", threads: 4, busy: 3, queued, maxQueue: 64 }) },
    { stats: () => ({ name: "unbounded", threads: 1, busy: 0, queued: 0, maxQueue: Number.POSITIVE_INFINITY }) },
    {
      stats: () => {
        throw new Error("closed");
      },
    },
  ];
  t.instrumentation = instrument({ meterProvider: t.sdk.meterProvider, pools });
  scale({ pool: "auditor", from: 1, to: 2, reason: "queue wait" });
  const valuesOf = (metrics: Awaited<ReturnType<typeof collect>>, name: string) =>
    Object.fromEntries(
      pointsOf(metrics, name).dataPoints.map((point) => [point.attributes["nextgen.pool.name"], point.value]),
    );
  const first = await collect();
  expect(valuesOf(first, "nextgen.pool.threads")).toEqual({ indexer: 4, unbounded: 1, auditor: 2 });
  expect(valuesOf(first, "nextgen.pool.threads.busy")).toEqual({ indexer: 3, unbounded: 0 });
  expect(valuesOf(first, "nextgen.pool.queue.depth")).toEqual({ indexer: 2, unbounded: 0 });
  // An unbounded queue has no capacity series (a ratio against Infinity means nothing).
  expect(valuesOf(first, "nextgen.pool.queue.capacity")).toEqual({ indexer: 64 });
  queued = 9;
  expect(valuesOf(await collect(), "nextgen.pool.queue.depth")).toMatchObject({ indexer: 9 });
  expect(() => instrument({ pools: [{}] as never })).toThrow(/options\.pools/);
});
