import { rm, writeFile } from "node:fs/promises";
import { afterEach, expect, it } from "vitest";
import { createTestSdk, pointsOf } from "../__fixtures__/otel-sdk.js";
import { realFactory } from "../__fixtures__/real-factory.js";
import { instrument } from "../instrument.js";

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

it("follows a real factory's tier health at collection: down before any lookup, up again without one", async () => {
  const sdk = createTestSdk();
  cleanups.push(() => sdk.shutdown());
  const { factory, cacheDir, cleanup } = await realFactory();
  cleanups.push(cleanup);
  const instrumentation = instrument({ meterProvider: sdk.meterProvider, health: factory });
  cleanups.push(() => instrumentation.close());
  const up = async (tier: string) => {
    const { resourceMetrics, errors } = await sdk.reader.collect();
    expect(errors).toEqual([]);
    const point = pointsOf(resourceMetrics, "nextgen.cache.tier.up").dataPoints.find(
      (candidate) => candidate.attributes["nextgen.cache.tier"] === tier,
    );
    return point?.value;
  };
  // The file tier's directory is a regular file: its health check fails before any create.
  await writeFile(cacheDir, "not a directory");
  expect(await up("file")).toBe(0);
  expect(await up("memory")).toBe(1);
  await factory.create("security/auditor"); // the file lookup fails, the source answers
  expect(await up("file")).toBe(0);
  await rm(cacheDir);
  await factory.create("security/auditor"); // warm: no lookup
  expect(await up("file")).toBe(1);
});

it("refuses a health option without health()", () => {
  expect(() => instrument({ health: {} as unknown as { health(): never } })).toThrow(/options\.health/);
});
