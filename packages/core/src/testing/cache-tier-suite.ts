import { afterEach, describe, expect, it } from "vitest";
import type { CacheTier } from "../cache/cache-tier.js";
import type { Clock } from "../clock/clock.js";

/** What `testCacheTier` hands to the factory of the tier under test. */
export interface CacheTierTestContext {
  /** A fake wall clock (milliseconds since the epoch); tiers that accept a `clock` should use it. */
  readonly clock: Clock;
  /** A name unique to this tier instance: use it as key prefix, directory name, … */
  readonly namespace: string;
}

/** Options of {@link testCacheTier}. */
export interface CacheTierSuiteOptions {
  /**
   * Whether the tier honours the injected clock. When `false` (a server-side TTL such as
   * Redis), the TTL test waits for real time instead. @default true
   */
  usesClock?: boolean;
  /** Reason to skip the whole suite (such as "no Redis at REDIS_URL"); absent to run it. */
  skip?: string;
}

const encoder = new TextEncoder();
const bytes = (text: string): Uint8Array => encoder.encode(text);
const text = (value: Uint8Array | undefined): string | undefined =>
  value === undefined ? undefined : new TextDecoder().decode(value);
const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** Polls until `key` is gone (no fixed sleep to tune per machine); fails after 10 s. */
async function waitUntilMissing(tier: CacheTier, key: string): Promise<void> {
  for (const deadline = Date.now() + 10_000; (await tier.get(key)) !== undefined; await sleep(5)) {
    if (Date.now() > deadline) throw new Error(`${tier.name}: ${key} did not expire`);
  }
}

/**
 * The conformance suite of the {@link CacheTier} contract: every tier runs it (as
 * unstorage's drivers run `testDriver`). Call it inside a vitest test file.
 *
 * @example
 * ```ts
 * import { testCacheTier } from "@nextgen/core/testing";
 * testCacheTier("myTier", ({ clock, namespace }) => myTier({ prefix: namespace, clock }));
 * ```
 */
export function testCacheTier(
  name: string,
  makeTier: (context: CacheTierTestContext) => CacheTier | Promise<CacheTier>,
  options: CacheTierSuiteOptions = {},
): void {
  const usesClock = options.usesClock ?? true;
  let now = Date.UTC(2026, 0, 1);
  let sequence = 0;
  const open: CacheTier[] = [];
  const make = async (): Promise<CacheTier> => {
    sequence += 1;
    const tier = await makeTier({
      clock: { now: () => now },
      namespace: `t${process.pid}-${Date.now().toString(36)}-${sequence}`,
    });
    open.push(tier);
    return tier;
  };

  describe.skipIf(options.skip !== undefined)(`CacheTier conformance: ${name}`, () => {
    afterEach(async () => {
      for (const tier of open.splice(0)) {
        await tier.clear().catch(() => undefined);
        await tier.close?.();
      }
    });

    it("has a name", async () => {
      const tier = await make();
      expect(typeof tier.name).toBe("string");
      expect(tier.name.length).toBeGreaterThan(0);
    });

    it("returns undefined for a missing key and false when deleting it", async () => {
      const tier = await make();
      expect(await tier.get("absent/key@1.0.0")).toBeUndefined();
      expect(await tier.delete("absent/key@1.0.0")).toBe(false);
    });

    it("stores and returns bytes exactly, with storedAt", async () => {
      const tier = await make();
      const value = new Uint8Array([0, 1, 2, 250, 255, 0x7b, 0x22]);
      await tier.set("security/auditor@1.2.0", value);
      const entry = await tier.get("security/auditor@1.2.0");
      expect(entry).toBeDefined();
      expect([...(entry?.value ?? [])]).toEqual([...value]);
      expect(typeof entry?.storedAt).toBe("number");
    });

    it("overwrites an existing key", async () => {
      const tier = await make();
      await tier.set("a/b", bytes("first"));
      await tier.set("a/b", bytes("second"));
      expect(text((await tier.get("a/b"))?.value)).toBe("second");
    });

    it("keeps keys apart, including ones that differ only in punctuation or case", async () => {
      const tier = await make();
      const keys = ["a/b@1.0.0", "a/b@1.0.1", "a/b", "a-b", "A/B", "sha256:00ff", "../../etc/passwd", "a b/ü"];
      for (const key of keys) await tier.set(key, bytes(`value of ${key}`));
      for (const key of keys) expect(text((await tier.get(key))?.value)).toBe(`value of ${key}`);
    });

    it("deletes one key and reports that it was present", async () => {
      const tier = await make();
      await tier.set("x/one", bytes("1"));
      await tier.set("x/two", bytes("2"));
      expect(await tier.delete("x/one")).toBe(true);
      expect(await tier.get("x/one")).toBeUndefined();
      expect(text((await tier.get("x/two"))?.value)).toBe("2");
    });

    it("clears every entry", async () => {
      const tier = await make();
      await tier.set("x/one", bytes("1"));
      await tier.set("x/two", bytes("2"));
      await tier.clear();
      expect(await tier.get("x/one")).toBeUndefined();
      expect(await tier.get("x/two")).toBeUndefined();
    });

    it("isolates two instances with different namespaces", async () => {
      const first = await make();
      const second = await make();
      await first.set("shared/key", bytes("first"));
      expect(await second.get("shared/key")).toBeUndefined();
      await second.clear();
      expect(text((await first.get("shared/key"))?.value)).toBe("first");
    });

    it("expires an entry after its TTL and reports expiresAt", async () => {
      const tier = await make();
      // A tier on its own clock (Redis) gets a TTL long enough that the entry cannot expire
      // between set and get on a loaded machine; expiry itself is checked on a second key.
      const ttlMs = 60_000;
      await tier.set("ttl/short", bytes("soon gone"), { ttlMs });
      await tier.set("ttl/none", bytes("stays"));
      const entry = await tier.get("ttl/short");
      expect(text(entry?.value)).toBe("soon gone");
      expect(entry?.expiresAt).toBeGreaterThan(entry?.storedAt ?? Number.POSITIVE_INFINITY);
      if (usesClock) {
        now += ttlMs + 1;
        expect(await tier.get("ttl/short")).toBeUndefined();
      } else {
        await tier.set("ttl/tiny", bytes("gone at once"), { ttlMs: 1 });
        await waitUntilMissing(tier, "ttl/tiny");
        expect(text((await tier.get("ttl/short"))?.value)).toBe("soon gone");
      }
      expect(text((await tier.get("ttl/none"))?.value)).toBe("stays");
    });

    it("reports a byte size that grows with what it holds, when it has size()", async () => {
      const tier = await make();
      if (tier.size === undefined) return;
      const before = await tier.size();
      await tier.set("size/big", new Uint8Array(4096).fill(7));
      expect(await tier.size()).toBeGreaterThan(before);
    });

    it("closes idempotently, when it has close()", async () => {
      const tier = await make();
      await tier.close?.();
      await tier.close?.();
    });
  });
}
