// The series the alert rules read, as a real factory produces them: present before the first
// event, bounded, and current without waiting for the next lookup.
import { rm, writeFile } from "node:fs/promises";
import { SIGNATURE_REASON_CODES } from "@nextgen/core/internal";
import { Registry } from "prom-client";
import { afterEach, expect, it } from "vitest";
import { realFactory } from "../__fixtures__/real-factory.js";
import { MAX_TEMPLATE_ID_VALUES, OTHER_TEMPLATE_ID, templateIdLabel } from "../metrics/template-id-label.js";
import { registerPrometheusMetrics } from "./register-prometheus-metrics.js";

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function setUp(options: { includeTemplateId?: boolean; health?: boolean; untrusted?: boolean } = {}) {
  const real = await realFactory(undefined, options.untrusted === true);
  cleanups.push(real.cleanup);
  const registry = new Registry();
  const prometheus = registerPrometheusMetrics({
    registry,
    trust: real.trust,
    includeTemplateId: options.includeTemplateId ?? false,
    ...(options.health === true ? { health: real.factory } : {}),
  });
  cleanups.push(() => prometheus.close());
  return { ...real, registry };
}

function sample(text: string, series: string): number | undefined {
  const line = text.split("\n").find((candidate) => candidate.startsWith(`${series} `));
  return line === undefined ? undefined : Number(line.slice(series.length + 1));
}

it("exposes every refusal reason at 0 before any verification, so the first refusal is an increase", async () => {
  const { factory, registry } = await setUp({ untrusted: true });
  const reasons = Object.keys(SIGNATURE_REASON_CODES);
  expect(reasons.length).toBeGreaterThan(5);
  const before = await registry.metrics();
  for (const reason of reasons) {
    expect(sample(before, `nextgen_signature_verdicts_total{verdict="refused",reason="${reason}"}`), reason).toBe(0);
  }
  expect(sample(before, 'nextgen_signature_verdicts_total{verdict="accepted",reason="none"}')).toBe(0);
  await expect(factory.create("security/auditor")).rejects.toMatchObject({ code: "NG_ERR_SIGNATURE_KEY_UNKNOWN" });
  const after = await registry.metrics();
  expect(sample(after, 'nextgen_signature_verdicts_total{verdict="refused",reason="unknown-key"}')).toBe(1);
});

it("records failed creates of 500 ids that do not exist under one template_id value", async () => {
  const { factory, registry } = await setUp({ includeTemplateId: true });
  await factory.create("security/auditor");
  for (let index = 0; index < 500; index++) {
    await expect(factory.create(`security/missing-${index}`)).rejects.toMatchObject({
      code: "NG_ERR_TEMPLATE_NOT_FOUND",
    });
  }
  const text = await registry.metrics();
  const values = new Set([...text.matchAll(/template_id="([^"]*)"/g)].map((match) => match[1]));
  expect(values).toEqual(new Set(["security/auditor", OTHER_TEMPLATE_ID]));
  expect(
    sample(text, `nextgen_agent_create_duration_seconds_count{kind="unknown",outcome="error",template_id="_OTHER"}`),
  ).toBe(500);
  const series = text.split("\n").filter((line) => line.startsWith("nextgen_") && line.includes("template_id="));
  expect(series.length).toBeLessThan(100);
});

it("caps distinct template ids: past the limit, new ids share the placeholder; known ids keep theirs", () => {
  const label = templateIdLabel(2);
  expect(label("a/one")).toBe("a/one");
  expect(label("a/two")).toBe("a/two");
  expect(label("a/three")).toBe(OTHER_TEMPLATE_ID);
  expect(label("a/one")).toBe("a/one");
  expect(label("a/one", "NG_ERR_TEMPLATE_NOT_FOUND")).toBe(OTHER_TEMPLATE_ID);
  expect(label("a/one", "NG_ERR_SIGNATURE_BAD")).toBe("a/one");
  expect(MAX_TEMPLATE_ID_VALUES).toBeGreaterThanOrEqual(100);
});

it("reads each tier's health at scrape: a failing file tier is 0 before any lookup and 1 after it recovers", async () => {
  const { factory, registry, cacheDir } = await setUp({ health: true });
  const up = async (tier: string) => sample(await registry.metrics(), `nextgen_cache_tier_up{tier="${tier}"}`);
  // The tier's directory is a regular file: the tier can neither create nor read it.
  await writeFile(cacheDir, "not a directory");
  expect(await up("file")).toBe(0); // no create, no lookup yet: its health check says so
  expect(await up("memory")).toBe(1);
  // An exact version is looked up in the tiers (a bare id asks the source for its latest,
  // and a directory source hands over the bytes with it, so no tier is read).
  await factory.create("security/auditor", { version: "1.2.0" }); // the lookup fails; the source serves the create
  expect(await up("file")).toBe(0);
  await rm(cacheDir);
  // No lookup happens now (the create is warm); the next scrape's health check recovers it.
  await factory.create("security/auditor", { version: "1.2.0" });
  expect(await up("file")).toBe(1);
  expect(await up("memory")).toBe(1);
});

it("keeps a tier at 0 for a scrape after a failed lookup even when its health check passes", async () => {
  const { factory, registry, cacheDir } = await setUp({ health: true });
  const up = async () => sample(await registry.metrics(), 'nextgen_cache_tier_up{tier="file"}');
  await writeFile(cacheDir, "not a directory");
  await factory.create("security/auditor", { version: "1.2.0" });
  await rm(cacheDir); // healthy again before the scrape
  expect(await up()).toBe(0);
  expect(await up()).toBe(1);
});

it("without health, tier_up follows lookups only", async () => {
  const { factory, registry, cacheDir } = await setUp();
  await writeFile(cacheDir, "not a directory");
  await factory.create("security/auditor", { version: "1.2.0" });
  await rm(cacheDir);
  const text = await registry.metrics();
  expect(sample(text, 'nextgen_cache_tier_up{tier="file"}')).toBe(0);
  expect(sample(text, 'nextgen_cache_tier_up{tier="memory"}')).toBe(1);
});

it("refuses a health option without health()", () => {
  expect(() =>
    registerPrometheusMetrics({ registry: new Registry(), health: {} as unknown as { health(): never } }),
  ).toThrow(/options\.health/);
});
