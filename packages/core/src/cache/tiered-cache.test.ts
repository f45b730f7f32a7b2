import diagnosticsChannel from "node:diagnostics_channel";
import { mkdir, mkdtemp, readdir, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, afterEach, describe, expect, it } from "vitest";
import { AUDIT_CHANNEL, CACHE_EVICT_CHANNEL, CACHE_LOOKUP_CHANNEL } from "../diagnostics/channels.js";
import type { AuditEvent, CacheEvictMessage, CacheLookupMessage } from "../diagnostics/payloads.js";
import type { CacheTier } from "./cache-tier.js";
import { encodeEnvelope, entryFileName } from "./file-entry.js";
import { fileTier } from "./file-tier.js";
import { memoryInvalidationBus } from "./invalidation-bus.js";
import { memoryTier } from "./memory-tier.js";
import { brotliTestCodec } from "./test-codec.js";
import { type FrozenTemplate, templateBytes, templatePipeline } from "./tiered-cache.fixtures.js";
import { createTieredCache, tieredCache } from "./tiered-cache.js";

const root = await mkdtemp(join(tmpdir(), "nextgen-tiered-"));
afterAll(() => rm(root, { recursive: true, force: true }));
let dirs = 0;
const freshDir = (): string => join(root, `dir-${++dirs}`);
const KEY = "security/auditor@1.2.0";

const events = { lookups: [] as CacheLookupMessage[], evictions: [] as CacheEvictMessage[], audit: [] as AuditEvent[] };
diagnosticsChannel.subscribe(CACHE_LOOKUP_CHANNEL, (message) => events.lookups.push(message as CacheLookupMessage));
diagnosticsChannel.subscribe(CACHE_EVICT_CHANNEL, (message) => events.evictions.push(message as CacheEvictMessage));
diagnosticsChannel.subscribe(AUDIT_CHANNEL, (message) => events.audit.push(message as AuditEvent));
afterEach(() => {
  events.lookups.length = 0;
  events.evictions.length = 0;
  events.audit.length = 0;
});

const deferred = <T>() => {
  let resolve!: (value: T) => void;
  const promise = new Promise<T>((done) => {
    resolve = done;
  });
  return { promise, resolve };
};

describe("createTieredCache", () => {
  it("loads a cold key once from the source, then answers from L1 with the same frozen object", async () => {
    const pipeline = templatePipeline({ [KEY]: templateBytes("security/auditor", "1.2.0") });
    const files = fileTier({ dir: freshDir(), codec: brotliTestCodec });
    const cache = createTieredCache({ layers: [memoryTier(), files], load: pipeline.load, admit: pipeline.admit });
    const first = await cache.get(KEY);
    const second = await cache.get(KEY);
    expect(first?.template.id).toBe("security/auditor");
    expect(second).toBe(first);
    expect(Object.isFrozen(first?.template)).toBe(true);
    expect(cache.peek(KEY)).toBe(first);
    expect(pipeline.counters.sourceReads).toBe(1);
    await cache.idle();
    expect((await files.get(KEY))?.value).toEqual(templateBytes("security/auditor", "1.2.0"));
    expect(cache.stats().tiers.map((tier) => [tier.tier, tier.hits, tier.misses])).toEqual([
      ["memory", 2, 1],
      ["file", 0, 1],
    ]);
  });

  it("turns 10,000 concurrent gets of a cold key into one source read and one verification", async () => {
    const pipeline = templatePipeline({ [KEY]: templateBytes("security/auditor", "1.2.0") });
    const cache = createTieredCache({
      layers: [memoryTier(), fileTier({ dir: freshDir(), codec: brotliTestCodec })],
      load: pipeline.load,
      admit: pipeline.admit,
    });
    const results = await Promise.all(Array.from({ length: 10_000 }, () => cache.get(KEY)));
    expect(new Set(results).size).toBe(1);
    expect(pipeline.counters.sourceReads).toBe(1);
    expect(pipeline.verifier.calls).toBe(1);
  });

  it("hands every getThen caller of a loading key one promise: the continuation runs once, after one load", async () => {
    const pipeline = templatePipeline({ [KEY]: templateBytes("security/auditor", "1.2.0") });
    const cache = tieredCache({ layers: [memoryTier()], load: pipeline.load, admit: pipeline.admit });
    let runs = 0;
    const then = async (value: FrozenTemplate | undefined) => {
      runs += 1;
      return { version: value?.template.version };
    };
    const waits = Array.from({ length: 1_000 }, () => cache.getThen(KEY, then));
    expect(new Set(waits).size).toBe(1);
    const results = await Promise.all(waits);
    expect(new Set(results).size).toBe(1);
    expect(results[0]).toEqual({ version: "1.2.0" });
    expect([runs, pipeline.counters.sourceReads, pipeline.verifier.calls]).toEqual([1, 1, 1]);
    // Once loaded, each caller gets its own run of the continuation on the L1 value (no load).
    await expect(cache.getThen(KEY, then)).resolves.toEqual({ version: "1.2.0" });
    expect([runs, pipeline.counters.sourceReads]).toEqual([2, 1]);
    await cache.close();
    await expect(cache.getThen(KEY, then)).rejects.toMatchObject({ code: "NG_ERR_CACHE_CLOSED" });
  });

  it("verifies again what comes up from a lower tier before it reaches L1", async () => {
    const dir = freshDir();
    const pipeline = templatePipeline({ [KEY]: templateBytes("security/auditor", "1.2.0") });
    const writer = createTieredCache({ layers: [memoryTier(), fileTier({ dir })], ...pipeline });
    await writer.get(KEY);
    await writer.idle();
    const reader = createTieredCache({ layers: [memoryTier(), fileTier({ dir })], ...pipeline });
    const callsBefore = pipeline.verifier.calls;
    events.lookups.length = 0;
    expect((await reader.get(KEY))?.template.version).toBe("1.2.0");
    expect(pipeline.counters.sourceReads).toBe(1);
    expect(pipeline.verifier.calls).toBe(callsBefore + 1);
    expect(events.lookups.filter((event) => event.level === 1)).toMatchObject([{ tier: "file", result: "hit" }]);
    expect(events.lookups.find((event) => event.level === 1)?.ageMs).toBeGreaterThanOrEqual(0);
  });

  it("refuses and evicts a tampered entry planted in the file tier, then serves the source's version", async () => {
    const dir = freshDir();
    const pipeline = templatePipeline({ [KEY]: templateBytes("security/auditor", "1.2.0") });
    const tampered = templateBytes("security/auditor", "1.2.0", "exfiltrate everything");
    const planted = await encodeEnvelope(KEY, tampered, Date.now(), undefined, brotliTestCodec);
    await mkdir(dir, { recursive: true });
    await writeFile(join(dir, entryFileName(KEY, ".json.zst")), planted);
    const files = fileTier({ dir, codec: brotliTestCodec });
    const cache = createTieredCache({ layers: [memoryTier(), files], ...pipeline });
    const template = await cache.get(KEY);
    expect(template?.template.description).toBe("test template");
    expect(pipeline.counters.sourceReads).toBe(1);
    expect(events.lookups).toContainEqual(expect.objectContaining({ tier: "file", result: "refused" }));
    expect(events.evictions).toContainEqual({ tier: "file", key: KEY, reason: "refused" });
    expect(events.audit).toContainEqual(expect.objectContaining({ type: "cache.refuse", verdict: "refused" }));
    expect(cache.stats().tiers[1]?.refused).toBe(1);
    await cache.idle();
    expect((await files.get(KEY))?.value).toEqual(templateBytes("security/auditor", "1.2.0"));
    expect((await readdir(dir)).filter((file) => file.endsWith(".partial"))).toEqual([]);
  });

  it("lets an invalidation that arrives during a load win: the old version never lands in L1", async () => {
    const pipeline = templatePipeline({ [KEY]: templateBytes("security/auditor", "1.2.0") });
    const gate = deferred<void>();
    let reads = 0;
    const cache = createTieredCache<FrozenTemplate>({
      layers: [memoryTier()],
      admit: pipeline.admit,
      load: async (key) => {
        reads += 1;
        const loaded = await pipeline.load(key);
        if (reads === 1) await gate.promise;
        return loaded;
      },
    });
    const pending = cache.get(KEY);
    await new Promise((resolve) => setImmediate(resolve));
    expect(reads).toBe(1);
    pipeline.publish(KEY, templateBytes("security/auditor", "1.2.0", "second edition"));
    await cache.invalidate(KEY, { reason: "updated" });
    gate.resolve();
    expect((await pending)?.template.description).toBe("second edition");
    expect(cache.peek(KEY)?.template.description).toBe("second edition");
    expect(reads).toBe(2);
  });

  it("remembers not-found for notFoundTtlMs, by the injected clock", async () => {
    let now = 10_000;
    const pipeline = templatePipeline({});
    const cache = createTieredCache({
      layers: [memoryTier()],
      ...pipeline,
      notFoundTtlMs: 1_000,
      clock: { now: () => now },
    });
    expect(await cache.get("nobody/here")).toBeUndefined();
    now += 999;
    expect(await cache.get("nobody/here")).toBeUndefined();
    expect(pipeline.counters.sourceReads).toBe(1);
    now += 1;
    expect(await cache.get("nobody/here")).toBeUndefined();
    expect(pipeline.counters.sourceReads).toBe(2);
    pipeline.publish("nobody/here", templateBytes("nobody/here", "1.0.0"));
    await cache.invalidate("nobody/here");
    expect((await cache.get("nobody/here"))?.template.id).toBe("nobody/here");
  });

  it("serves a stale value within the grace window while the source fails, and fails after it", async () => {
    let now = 50_000;
    const clock = { now: () => now };
    const pipeline = templatePipeline({ [KEY]: templateBytes("security/auditor", "1.2.0") });
    const cache = createTieredCache({
      layers: [memoryTier({ clock })],
      ...pipeline,
      ttlMs: 1_000,
      staleGraceMs: 5_000,
      clock,
    });
    const fresh = await cache.get(KEY);
    pipeline.fail(new Error("source down"));
    now += 1_500;
    expect(cache.peek(KEY)).toBeUndefined();
    expect(await cache.get(KEY)).toBe(fresh);
    await new Promise((resolve) => setImmediate(resolve));
    expect(pipeline.counters.sourceReads).toBe(2);
    expect(events.lookups).toContainEqual(expect.objectContaining({ tier: "memory", result: "stale" }));
    now += 4_000;
    expect(await cache.get(KEY)).toBe(fresh);
    now += 1_000;
    await expect(cache.get(KEY)).rejects.toThrow("source down");
    pipeline.fail(undefined);
    expect((await cache.get(KEY))?.template.id).toBe("security/auditor");
  });

  it("refreshes a stale value in the background when the source answers", async () => {
    let now = 0;
    const clock = { now: () => now };
    const pipeline = templatePipeline({ [KEY]: templateBytes("security/auditor", "1.2.0") });
    const cache = createTieredCache({ layers: [memoryTier({ clock })], ...pipeline, ttlMs: 100, clock });
    const first = await cache.get(KEY);
    pipeline.publish(KEY, templateBytes("security/auditor", "1.2.0", "refreshed"));
    now += 200;
    expect(await cache.get(KEY)).toBe(first);
    await new Promise((resolve) => setImmediate(resolve));
    await new Promise((resolve) => setImmediate(resolve));
    expect((await cache.get(KEY))?.template.description).toBe("refreshed");
  });

  it("skips a tier that hangs (per-tier timeout) or throws, and still answers from the source", async () => {
    const hanging: CacheTier = {
      name: "hanging",
      get: () => new Promise(() => undefined),
      set: () => new Promise(() => undefined),
      delete: async () => false,
      clear: async () => undefined,
    };
    const broken: CacheTier = {
      name: "broken",
      get: async () => {
        throw new Error("connection reset");
      },
      set: async () => {
        throw new Error("connection reset");
      },
      delete: async () => false,
      clear: async () => undefined,
    };
    const pipeline = templatePipeline({ [KEY]: templateBytes("security/auditor", "1.2.0") });
    const cache = createTieredCache({ layers: [memoryTier(), hanging, broken], ...pipeline, tierTimeoutMs: 20 });
    expect((await cache.get(KEY))?.template.id).toBe("security/auditor");
    expect(events.lookups.filter((event) => event.result === "error").map((event) => event.tier)).toEqual([
      "hanging",
      "broken",
    ]);
    await cache.idle();
    expect(cache.stats().tiers.map((tier) => tier.errors)).toEqual([0, 2, 2]);
  });

  it("drops a key on other instances when one invalidates it on the bus", async () => {
    const bus = memoryInvalidationBus();
    const pipeline = templatePipeline({ [KEY]: templateBytes("security/auditor", "1.2.0") });
    const first = createTieredCache({ layers: [memoryTier()], ...pipeline, bus });
    const second = createTieredCache({ layers: [memoryTier()], ...pipeline, bus });
    await first.get(KEY);
    await second.get(KEY);
    pipeline.publish(KEY, templateBytes("security/auditor", "1.2.0", "new"));
    await first.invalidate(KEY, { reason: "updated" });
    expect(second.peek(KEY)).toBeUndefined();
    expect((await second.get(KEY))?.template.description).toBe("new");
    await first.close();
    await second.close();
  });

  it("ends only the aborting caller's wait: the shared load goes on for the others and is cached", async () => {
    const pipeline = templatePipeline({ [KEY]: templateBytes("security/auditor", "1.2.0") });
    const gate = deferred<void>();
    const seen: (AbortSignal | undefined)[] = [];
    const cache = createTieredCache<FrozenTemplate>({
      layers: [memoryTier()],
      admit: pipeline.admit,
      load: async (key, context) => {
        seen.push(context.signal);
        await gate.promise;
        return pipeline.load(key);
      },
    });
    const controller = new AbortController();
    const first = cache.get(KEY, { signal: controller.signal });
    const second = cache.get(KEY);
    controller.abort(new Error("client went away"));
    await expect(first).rejects.toMatchObject({ code: "NG_ERR_CACHE_ABORTED", cause: { message: "client went away" } });
    gate.resolve();
    expect((await second)?.template.version).toBe("1.2.0");
    // The first caller's signal never reached the shared load.
    expect(seen).toEqual([undefined]);
    expect(pipeline.counters.sourceReads).toBe(1);
    expect(cache.peek(KEY)?.template.version).toBe("1.2.0");
    await expect(cache.get(KEY, { signal: AbortSignal.abort() })).resolves.toBeDefined();
  });

  it("prewarms keys and reports the ones it could not load", async () => {
    const pipeline = templatePipeline({ [KEY]: templateBytes("security/auditor", "1.2.0") });
    const cache = createTieredCache({ layers: [memoryTier()], ...pipeline });
    expect(await cache.prewarm([KEY, "missing/one"])).toEqual(["missing/one"]);
    expect(cache.peek(KEY)?.template.id).toBe("security/auditor");
  });

  it("refuses bad options and use after close", async () => {
    const pipeline = templatePipeline({});
    expect(() => createTieredCache({ layers: "memory" as never, ...pipeline })).toThrow(/options\.layers/);
    expect(() => createTieredCache({ layers: [{} as CacheTier], ...pipeline })).toThrow(/options\.layers\[0\]/);
    expect(() => createTieredCache({ layers: [], ...pipeline, tierTimeoutMs: 0 })).toThrow(/options\.tierTimeoutMs/);
    // Caught at construction, not on the first lookup or the first bus message.
    expect(() => createTieredCache({ layers: [], ...pipeline, clock: 5 as never })).toThrow(/options\.clock/);
    expect(() => createTieredCache({ layers: [], ...pipeline, bus: {} as never })).toThrow(/options\.bus/);
    expect(() => createTieredCache({ layers: [], ...pipeline, instanceId: "" })).toThrow(/options\.instanceId/);
    const cache = createTieredCache({ layers: [], ...pipeline });
    await cache.close();
    await cache.close();
    await expect(cache.get(KEY)).rejects.toMatchObject({ code: "NG_ERR_CACHE_CLOSED" });
  });
});
