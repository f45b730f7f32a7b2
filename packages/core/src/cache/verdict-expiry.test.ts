import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, afterEach, describe, expect, it, vi } from "vitest";
import { NextGenError } from "../errors/next-gen-error.js";
import { createAgentFactory } from "../factory/create-agent-factory.js";
import { SpecialistAgent, templates, tools } from "../factory/test-kinds.js";
import { memorySource } from "../source/memory-source.js";
import type { AgentTemplate } from "../template/types.js";
import { toolRegistry } from "../tools/tool-registry.js";
import { signTemplate } from "../trust/sign-template.js";
import { fixedClock, makeTestKey } from "../trust/test-fixtures.js";
import { trustPolicy } from "../trust/trust-policy.js";
import type { CacheTier } from "./cache-tier.js";
import { fileTier } from "./file-tier.js";
import { memoryTier } from "./memory-tier.js";

// Issue 11 item 6: a cached template must not outlive the earliest validity bound of its
// chain (signature `exp`, key `notAfter`), on the warm path too.
const root = await mkdtemp(join(tmpdir(), "nextgen-verdict-expiry-"));
afterAll(() => rm(root, { recursive: true, force: true }));
let cases = 0;

const at = (iso: string): number => Date.parse(iso);
const parent = templates.find((template) => template.id === "base/specialist")!;
const leaf = templates.find((template) => template.id === "security/auditor" && template.version === "1.2.0")!;

async function setup(options: { parentExp?: string; leafExp?: string; keyNotAfter?: string }) {
  const clock = fixedClock(at("2026-06-01T00:00:00Z"));
  const key = makeTestKey(
    "release",
    "EdDSA",
    options.keyNotAfter === undefined ? {} : { notAfter: options.keyNotAfter },
  );
  const sign = (template: AgentTemplate, exp: string | undefined) =>
    signTemplate(template, key.signer, {
      clock,
      ...(exp === undefined ? {} : { expiresAt: new Date(exp) }),
    });
  const source = memorySource([await sign(parent, options.parentExp), await sign(leaf, options.leafExp)]);
  const trust = trustPolicy({ version: 1, keys: [key.publicJwk], requireSignatures: true }, { clock });
  return { clock, source, trust };
}

const layerSets: [string, () => CacheTier[] | undefined][] = [
  ["without cache layers", () => undefined],
  ["with memory and file tiers", () => [memoryTier(), fileTier({ dir: join(root, `tier-${++cases}`) })]],
];

const codeOf = (promise: Promise<unknown>): Promise<string | undefined> =>
  promise.then(
    () => undefined,
    (error: unknown) => (NextGenError.is(error) ? error.code : String(error)),
  );

describe.each(layerSets)("cached templates and their signatures' validity (%s)", (_label, layers) => {
  const make = (parts: Awaited<ReturnType<typeof setup>>) => {
    const cacheLayers = layers();
    return createAgentFactory({
      source: parts.source,
      trust: parts.trust,
      kinds: { specialist: SpecialistAgent },
      tools: toolRegistry(tools),
      clock: { now: parts.clock.now },
      ...(cacheLayers === undefined ? {} : { cache: { layers: cacheLayers } }),
    });
  };

  it("refuses a warm create once a parent's signature `exp` (the chain's earliest bound) has passed", async () => {
    const parts = await setup({ parentExp: "2026-07-01T00:00:00Z", leafExp: "2026-12-01T00:00:00Z" });
    const factory = make(parts);
    await factory.create("security/auditor");
    await factory.create("security/auditor"); // warm
    await factory.create("security/auditor", { version: "1.2.0" });
    parts.clock.set(at("2026-07-01T00:00:01Z"));
    expect(await codeOf(factory.create("security/auditor"))).toBe("NG_ERR_SIGNATURE_EXPIRED");
    expect(await codeOf(factory.create("security/auditor", { version: "1.2.0" }))).toBe("NG_ERR_SIGNATURE_EXPIRED");
    // Still refused on the next try: nothing expired was put back into a cache.
    expect(await codeOf(factory.create("security/auditor"))).toBe("NG_ERR_SIGNATURE_EXPIRED");
    await factory.close();
  });

  it("refuses a warm create once the signing key's `notAfter` has passed", async () => {
    const parts = await setup({ keyNotAfter: "2026-09-01T00:00:00Z" });
    const factory = make(parts);
    await factory.create("security/auditor");
    parts.clock.set(at("2026-08-31T23:59:59Z"));
    await factory.create("security/auditor"); // still inside the window: warm
    parts.clock.set(at("2026-09-01T00:00:01Z"));
    const code = await codeOf(factory.create("security/auditor"));
    expect(code).toMatch(/^NG_ERR_SIGNATURE_/);
    await factory.close();
  });

  it("keeps serving templates whose signatures and keys never expire, whatever the clock says", async () => {
    const parts = await setup({});
    const factory = make(parts);
    const first = await factory.create("security/auditor");
    parts.clock.set(at("2036-01-01T00:00:00Z"));
    const later = await factory.create("security/auditor");
    expect(later.template).toBe(first.template);
    await factory.close();
  });
});

describe("with the real clock (no clock injected): a bounded template stops creating warm once its bound passes", () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  async function realClockFactory(exp: Date) {
    const key = makeTestKey("release");
    const source = memorySource([
      await signTemplate(parent, key.signer),
      await signTemplate(leaf, key.signer, { expiresAt: exp }),
    ]);
    const trust = trustPolicy({ version: 1, keys: [key.publicJwk], requireSignatures: true });
    return createAgentFactory({
      source,
      trust,
      kinds: { specialist: SpecialistAgent },
      tools: toolRegistry(tools),
    });
  }

  it("refuses once `exp` passes, as time runs", async () => {
    vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout", "Date"], now: at("2026-06-01T00:00:00Z") });
    const factory = await realClockFactory(new Date("2026-06-01T00:00:30Z"));
    await factory.create("security/auditor");
    await factory.create("security/auditor"); // warm
    vi.advanceTimersByTime(31_000);
    expect(await codeOf(factory.create("security/auditor"))).toBe("NG_ERR_SIGNATURE_EXPIRED");
    await factory.close();
  });

  it("notices a wall clock stepped past `exp` at the next create", async () => {
    vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout", "Date"], now: at("2026-06-01T00:00:00Z") });
    const factory = await realClockFactory(new Date("2026-06-02T00:00:00Z"));
    await factory.create("security/auditor");
    vi.setSystemTime(at("2026-06-03T00:00:00Z")); // NTP steps the wall clock forward
    vi.advanceTimersByTime(1_000);
    expect(await codeOf(factory.create("security/auditor"))).toBe("NG_ERR_SIGNATURE_EXPIRED");
    await factory.close();
  });
});
