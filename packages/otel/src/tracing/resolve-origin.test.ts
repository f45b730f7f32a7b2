import { context } from "@opentelemetry/api";
import { AsyncLocalStorageContextManager } from "@opentelemetry/context-async-hooks";
import { afterAll, afterEach, beforeAll, expect, it } from "vitest";
import { createTestSdk, type TestSdk } from "../__fixtures__/otel-sdk.js";
import { realFactory } from "../__fixtures__/real-factory.js";
import { instrument } from "../instrument.js";
import { templateIdOfKey } from "./resolve-origin.js";

let sdk: TestSdk;
const cleanups: (() => Promise<void> | void)[] = [];
beforeAll(() => {
  // Test setup only: the library never registers a context manager.
  context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
});
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});
afterAll(() => {
  context.disable();
});

async function tracedFactory() {
  sdk = createTestSdk();
  cleanups.push(() => sdk.shutdown());
  const instrumentation = instrument({ tracerProvider: sdk.tracerProvider, meterProvider: sdk.meterProvider });
  cleanups.push(() => instrumentation.close());
  const real = await realFactory();
  cleanups.push(real.cleanup);
  return real;
}

it("says a template served by the file tier came from the file tier, not the source", async () => {
  const { factory, sibling } = await tracedFactory();
  await factory.create("security/auditor");
  // The first factory's background write to the file tier settles when it closes.
  await factory.close();
  sdk.exporter.reset();
  // An exact version: a bare id asks the source for its latest, and a directory source
  // hands over the bytes with the answer, so no tier would be read.
  await sibling().create("security/auditor", { version: "1.2.0" });
  const spans = sdk.exporter.getFinishedSpans();
  const lookups = spans
    .filter((span) => span.name === "cache.lookup")
    .map((span) => `${span.attributes["nextgen.cache.tier"]}:${span.attributes["nextgen.cache.result"]}`);
  expect(lookups).toEqual(["memory:miss", "file:hit"]);
  const resolve = spans.find((span) => span.name === "template.resolve");
  expect(resolve?.attributes["nextgen.template.origin"]).toBe("file");
});

it("says source when every tier missed, and every cache.lookup span names the template id", async () => {
  const { factory } = await tracedFactory();
  await factory.create("security/auditor", { version: "1.2.0" });
  const spans = sdk.exporter.getFinishedSpans();
  const lookups = spans.filter((span) => span.name === "cache.lookup");
  expect(lookups.length).toBe(2);
  for (const lookup of lookups) expect(lookup.attributes["nextgen.template.id"]).toBe("security/auditor");
  const resolve = spans.find((span) => span.name === "template.resolve");
  expect(resolve?.attributes["nextgen.template.origin"]).toBe("source");
});

it("takes the template id from a cache key with or without a version", () => {
  expect(templateIdOfKey("security/auditor@1.2.0")).toBe("security/auditor");
  expect(templateIdOfKey("security/auditor")).toBe("security/auditor");
});

it("says source for a bare id whose latest version the source served with its bytes: no tier is read", async () => {
  const { factory } = await tracedFactory();
  await factory.create("security/auditor");
  const spans = sdk.exporter.getFinishedSpans();
  const lookups = spans
    .filter((span) => span.name === "cache.lookup")
    .map((span) => `${span.attributes["nextgen.cache.tier"]}:${span.attributes["nextgen.cache.result"]}`);
  expect(lookups).toEqual(["memory:miss"]);
  const resolve = spans.find((span) => span.name === "template.resolve");
  expect(resolve?.attributes["nextgen.template.origin"]).toBe("source");
});
