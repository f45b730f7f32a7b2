import { afterEach, describe, expect, it } from "vitest";
import type { AgentTemplate, TemplateDigest } from "../template/types.js";
import { checkRollback } from "../trust/rollback-check.js";
import { SignatureError } from "../trust/signature-error.js";
import type { HighWaterMark, StateStore } from "../trust/state-store.js";

/** What `testStateStore` hands to the factory of the store under test. */
export interface StateStoreTestContext {
  /**
   * Names one shared state (a key prefix, a file, a map): every call with the same
   * `namespace` must open the SAME marks, as replicas of one deployment do.
   */
  readonly namespace: string;
  /** Which replica asks (0, 1, …): stores shared across processes open a new connection per replica. */
  readonly replica: number;
}

/** Options of {@link testStateStore}. */
export interface StateStoreSuiteOptions {
  /** Reason to skip the whole suite (such as "no Redis at REDIS_URL"); absent to run it. */
  skip?: string;
  /** Template ids raced per race test. @default 20 */
  raceRounds?: number;
}

const digest = (label: string): TemplateDigest =>
  `sha256:${Buffer.from(label).toString("hex").padEnd(64, "0").slice(0, 64)}` as TemplateDigest;
const mark = (version: string, label = version): HighWaterMark => ({ version, digest: digest(label) });
const template = (id: string, version: string): AgentTemplate => ({ id, version }) as AgentTemplate;

/** Resolves to "accepted" or the refusal's code; any other failure rejects. */
async function verdict(work: Promise<void>): Promise<string> {
  try {
    await work;
    return "accepted";
  } catch (error) {
    if (SignatureError.is(error)) return error.code;
    throw error;
  }
}

/**
 * The conformance suite of the {@link StateStore} contract (rollback high-water marks):
 * the file, memory and Redis stores run it. It checks that marks round-trip, that `set`
 * never lowers a mark and refuses a changed digest for an accepted version, and that two
 * replicas of one deployment racing v1 and v2 of one id never both win: the mark always
 * ends at v2, and of two digests of one version exactly one is accepted. Call it inside a
 * vitest test file.
 *
 * @example
 * ```ts
 * import { testStateStore } from "@nextgen/core/testing";
 * const shared = new Map<string, StateStore>();
 * testStateStore("memoryStateStore", ({ namespace }) => {
 *   if (!shared.has(namespace)) shared.set(namespace, memoryStateStore());
 *   return shared.get(namespace)!;
 * });
 * ```
 */
export function testStateStore(
  name: string,
  makeStore: (context: StateStoreTestContext) => StateStore | Promise<StateStore>,
  options: StateStoreSuiteOptions = {},
): void {
  const rounds = options.raceRounds ?? 20;
  let sequence = 0;
  const opened: StateStore[] = [];
  /** Opens `count` replicas of one fresh shared state. */
  const replicas = async (count: number): Promise<StateStore[]> => {
    sequence += 1;
    const namespace = `s${process.pid}-${Date.now().toString(36)}-${sequence}`;
    const stores: StateStore[] = [];
    for (let replica = 0; replica < count; replica++) stores.push(await makeStore({ namespace, replica }));
    opened.push(...stores);
    return stores;
  };

  describe.skipIf(options.skip !== undefined)(`StateStore conformance: ${name}`, () => {
    afterEach(async () => {
      for (const store of new Set(opened.splice(0))) await store.close?.();
    });

    it("has no mark for an id never accepted, and keeps marks per id", async () => {
      const [store] = await replicas(1);
      expect(await store!.get("a/never")).toBeUndefined();
      await store!.set("a/one", mark("1.0.0"));
      await store!.set("a/two", mark("2.0.0"));
      expect(await store!.get("a/one")).toEqual(mark("1.0.0"));
      expect(await store!.get("a/two")).toEqual(mark("2.0.0"));
      expect(await store!.get("a/never")).toBeUndefined();
    });

    it("hands out copies: editing a returned mark changes nothing stored", async () => {
      const [store] = await replicas(1);
      await store!.set("a/copy", mark("1.0.0"));
      const read = await store!.get("a/copy");
      read!.version = "9.9.9";
      expect(await store!.get("a/copy")).toEqual(mark("1.0.0"));
    });

    it("advances by semver precedence, not by text", async () => {
      const [store] = await replicas(1);
      for (const version of ["1.0.0-rc.1", "1.0.0", "1.9.0", "1.10.0", "10.0.0"]) {
        await store!.set("a/semver", mark(version));
        expect((await store!.get("a/semver"))?.version).toBe(version);
      }
      await expect(store!.set("a/semver", mark("9.0.0"))).rejects.toMatchObject({ code: "NG_ERR_SIGNATURE_ROLLBACK" });
      expect((await store!.get("a/semver"))?.version).toBe("10.0.0");
    });

    it("never lowers a mark, and refuses another digest for an accepted version", async () => {
      const [store] = await replicas(1);
      await store!.set("a/b", mark("2.0.0"));
      const lower = await store!.set("a/b", mark("1.0.0")).catch((error: unknown) => error);
      expect(SignatureError.is(lower, "NG_ERR_SIGNATURE_ROLLBACK")).toBe(true);
      expect((lower as SignatureError).templateId).toBe("a/b");
      await expect(store!.set("a/b", mark("2.0.0", "other bytes"))).rejects.toMatchObject({
        code: "NG_ERR_SIGNATURE_VERSION_REUSED",
      });
      await expect(store!.set("a/b", mark("not-semver"))).rejects.toMatchObject({
        code: "NG_ERR_SIGNATURE_ROLLBACK",
      });
      expect(await store!.get("a/b")).toEqual(mark("2.0.0"));
      // The current mark again is not a conflict: a retried write succeeds.
      await store!.set("a/b", mark("2.0.0"));
      expect(await store!.get("a/b")).toEqual(mark("2.0.0"));
    });

    it("shares marks between replicas: what one accepts, the other sees and enforces", async () => {
      const [first, second] = await replicas(2);
      await first!.set("a/shared", mark("3.0.0"));
      expect(await second!.get("a/shared")).toEqual(mark("3.0.0"));
      await expect(second!.set("a/shared", mark("2.0.0"))).rejects.toMatchObject({ code: "NG_ERR_SIGNATURE_ROLLBACK" });
      await second!.set("a/shared", mark("3.1.0"));
      expect(await first!.get("a/shared")).toEqual(mark("3.1.0"));
    });

    it("two replicas racing v1 and v2 of one id: the mark always ends at v2, never lowered", async () => {
      const [first, second] = await replicas(2);
      const outcomes = await Promise.all(
        Array.from({ length: rounds }, async (_, round) => {
          const id = `race/id-${round}`;
          // Alternate who gets which version, so both orders of arrival are exercised.
          const [older, newer] = round % 2 === 0 ? [first!, second!] : [second!, first!];
          const [v1, v2] = await Promise.all([
            verdict(checkRollback(older, template(id, "1.0.0"), digest("v1"))),
            verdict(checkRollback(newer, template(id, "2.0.0"), digest("v2"))),
          ]);
          return { id, v1, v2 };
        }),
      );
      for (const { id, v1, v2 } of outcomes) {
        // v2 is the highest version anyone offers: nothing may refuse it.
        expect(v2).toBe("accepted");
        expect(["accepted", "NG_ERR_SIGNATURE_ROLLBACK"]).toContain(v1);
        expect(await first!.get(id)).toEqual(mark("2.0.0", "v2"));
        expect(await second!.get(id)).toEqual(mark("2.0.0", "v2"));
        // Once v2 is the mark, v1 is refused on every replica.
        expect(await verdict(checkRollback(first!, template(id, "1.0.0"), digest("v1")))).toBe(
          "NG_ERR_SIGNATURE_ROLLBACK",
        );
      }
    });

    it("two replicas racing two digests of one version: exactly one is accepted, and it is the mark", async () => {
      const [first, second] = await replicas(2);
      for (let round = 0; round < rounds; round++) {
        const id = `race/twin-${round}`;
        const [a, b] = await Promise.all([
          verdict(checkRollback(first!, template(id, "1.0.0"), digest("a"))),
          verdict(checkRollback(second!, template(id, "1.0.0"), digest("b"))),
        ]);
        expect([a, b].filter((outcome) => outcome === "accepted")).toHaveLength(1);
        expect([a, b].filter((outcome) => outcome.startsWith("NG_ERR_SIGNATURE_"))).toHaveLength(1);
        const winner = a === "accepted" ? "a" : "b";
        expect(await first!.get(id)).toEqual(mark("1.0.0", winner));
        expect(await second!.get(id)).toEqual(mark("1.0.0", winner));
      }
    });

    it("many versions set concurrently from both replicas end at the highest", async () => {
      const [first, second] = await replicas(2);
      const versions = Array.from({ length: 12 }, (_, index) => `1.${index}.0`);
      const shuffled = versions.map((version, index) => ({ version, order: (index * 7) % versions.length }));
      shuffled.sort((left, right) => left.order - right.order);
      await Promise.all(
        shuffled.map(({ version }, index) =>
          verdict((index % 2 === 0 ? first! : second!).set("race/many", mark(version))),
        ),
      );
      expect(await first!.get("race/many")).toEqual(mark("1.11.0"));
      expect(await second!.get("race/many")).toEqual(mark("1.11.0"));
    });

    it("closes idempotently", async () => {
      const [store] = await replicas(1);
      await store!.set("a/close", mark("1.0.0"));
      await store!.close?.();
      await store!.close?.();
    });
  });
}
