import { OptionsError } from "@nextgen/core";
import { register as globalRegistry, Registry } from "prom-client";
import { afterEach, expect, it } from "vitest";
import { coldCreate, evict, lookup, reload, scale, warmCreate } from "../__fixtures__/core-events.js";
import { type PrometheusMetrics, registerPrometheusMetrics } from "./register-prometheus-metrics.js";

/** Every line of `expected` is in the exposition `text`. */
function expectLines(text: string, expected: readonly string[]): void {
  for (const line of expected) expect(text).toContain(line);
}

let prometheus: PrometheusMetrics | undefined;
afterEach(() => {
  prometheus?.close();
  prometheus = undefined;
});

it("exposes the workload in the Prometheus text format with low-cardinality labels", async () => {
  const registry = new Registry();
  prometheus = registerPrometheusMetrics({ registry });
  await coldCreate();
  await warmCreate();
  await expect(coldCreate({ refuse: true })).rejects.toThrow();
  lookup({ tier: "redis", level: 2, result: "error", durationMs: 3 });
  evict({ tier: "memory", key: "security/auditor@1.2.0", reason: "capacity" });
  scale({ pool: "auditor", from: 1, to: 4, reason: "queue wait p95 12 ms" });
  reload({ templateId: "security/auditor", outcome: "refused", code: "NG_ERR_SIGNATURE_BAD" });
  const text = await registry.metrics();
  expectLines(text, [
    'nextgen_cache_evictions_total{tier="memory",reason="capacity"} 1',
    'nextgen_pool_threads{pool="auditor"} 4',
    'nextgen_template_reloads_total{outcome="refused"} 1',
    // One cold create (resolved from the tiers), one warm (the factory's resolved cache).
    'nextgen_agents_created_total{kind="specialist",cached="false"} 1',
    'nextgen_agents_created_total{kind="specialist",cached="true"} 1',
    'nextgen_agent_create_errors_total{error_type="NG_ERR_SIGNATURE_KEY_UNKNOWN"} 1',
    'nextgen_agent_create_duration_seconds_bucket{le="0.000001",kind="specialist",outcome="success"}',
    'nextgen_agent_create_duration_seconds_count{kind="unknown",outcome="error"} 1',
    'nextgen_cache_requests_total{tier="memory",result="hit"} 1',
    'nextgen_cache_entry_age_seconds_sum{tier="memory"} 42',
    'nextgen_signature_verdicts_total{verdict="refused",reason="unknown-key"} 1',
    'nextgen_trust_key_expiry_timestamp_seconds{kid="release-2026"} 1830297599',
    'nextgen_codec_bytes_in_total{backend="fzstd"} 1024',
    'nextgen_cache_tier_up{tier="redis"} 0',
  ]);
  expect(text).not.toContain("template_id");
  // Never default metrics, never the global registry.
  expect(text).not.toContain("process_cpu");
  expect(await globalRegistry.metrics()).not.toContain("nextgen_");
});

it("counts repeated cache lookups per tier and result, each tier's up gauge following its last lookup", async () => {
  const registry = new Registry();
  prometheus = registerPrometheusMetrics({ registry });
  for (let index = 0; index < 3; index++)
    lookup({ tier: "memory", level: 1, result: "hit", durationMs: 0, ageMs: 1000 });
  lookup({ tier: "memory", level: 1, result: "miss", durationMs: 0 });
  lookup({ tier: "file", level: 2, result: "error", durationMs: 1 });
  lookup({ tier: "file", level: 2, result: "hit", durationMs: 1, ageMs: 4000 });
  const text = await registry.metrics();
  expectLines(text, [
    'nextgen_cache_requests_total{tier="memory",result="hit"} 3',
    'nextgen_cache_requests_total{tier="memory",result="miss"} 1',
    'nextgen_cache_requests_total{tier="file",result="error"} 1',
    'nextgen_cache_requests_total{tier="file",result="hit"} 1',
    'nextgen_cache_entry_age_seconds_sum{tier="memory"} 3',
    'nextgen_cache_entry_age_seconds_count{tier="file"} 1',
    'nextgen_cache_tier_up{tier="file"} 1',
    'nextgen_cache_tier_up{tier="memory"} 1',
  ]);
});

it("honours the prefix and the template-id opt-in", async () => {
  const registry = new Registry();
  prometheus = registerPrometheusMetrics({ registry, prefix: "svc_", includeTemplateId: true });
  await warmCreate();
  const text = await registry.metrics();
  expect(text).toContain('svc_agents_created_total{kind="specialist",cached="true",template_id="security/auditor"} 1');
  expect(text).not.toContain("nextgen_");
});

it("close() stops recording and removes the metrics; a second close is harmless", async () => {
  const registry = new Registry();
  const closing = registerPrometheusMetrics({ registry });
  expect(closing.names).toContain("nextgen_agent_create_duration_seconds");
  closing.close();
  closing.close();
  await warmCreate();
  expect(await registry.metrics()).toBe("\n");
  // Registering again on the same registry works once the first one closed.
  prometheus = registerPrometheusMetrics({ registry });
});

it("reads the trust policy's earliest key expiry at each scrape", async () => {
  const registry = new Registry();
  const policy: { earliestKeyExpiry: Date | undefined } = { earliestKeyExpiry: new Date(Date.UTC(2027, 0, 1)) };
  prometheus = registerPrometheusMetrics({ registry, trust: policy });
  expect(await registry.metrics()).toContain("nextgen_trust_earliest_key_expiry_timestamp_seconds 1798761600");
  policy.earliestKeyExpiry = undefined;
  expect(await registry.metrics()).not.toMatch(/^nextgen_trust_earliest_key_expiry_timestamp_seconds /m);
  const throwing = {
    get earliestKeyExpiry(): Date {
      throw new Error("policy unreadable");
    },
  };
  const other = new Registry();
  const second = registerPrometheusMetrics({ registry: other, trust: throwing });
  await expect(other.metrics()).resolves.toContain("# TYPE nextgen_trust_earliest_key_expiry_timestamp_seconds gauge");
  second.close();
});

it("refuses the global registry, a non-registry and a bad prefix, naming the option", () => {
  expect(() => registerPrometheusMetrics({ registry: globalRegistry })).toThrow(OptionsError);
  expect(() => registerPrometheusMetrics({ registry: {} as Registry })).toThrow(/options\.registry/);
  expect(() => registerPrometheusMetrics({ registry: new Registry(), prefix: "9bad" })).toThrow(/options\.prefix/);
  expect(() => registerPrometheusMetrics({ registry: new Registry(), trust: {} as never })).toThrow(/options\.trust/);
});

it("refuses a registry that already has one of its metrics, registering nothing", async () => {
  const registry = new Registry();
  prometheus = registerPrometheusMetrics({ registry });
  expect(() => registerPrometheusMetrics({ registry })).toThrow(/options\.registry already has nextgen_/);
  prometheus.close();
  // A host metric with one of our names: refused, and none of ours is left behind.
  const { Gauge } = await import("prom-client");
  new Gauge({ name: "nextgen_pool_threads", help: "the host's own", registers: [registry] });
  expect(() => registerPrometheusMetrics({ registry })).toThrow(/nextgen_pool_threads/);
  expect(registry.getMetricsAsArray().map((metric) => metric.name)).toEqual(["nextgen_pool_threads"]);
  // Another prefix fits next to it.
  prometheus = registerPrometheusMetrics({ registry, prefix: "svc_" });
  await warmCreate();
  expect(await registry.metrics()).toContain('svc_agents_created_total{kind="specialist",cached="true"} 1');
});
