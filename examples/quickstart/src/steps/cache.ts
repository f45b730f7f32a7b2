import diagnosticsChannel from "node:diagnostics_channel";
import { join } from "node:path";
import { createZstdCodec } from "@nextgen/compression";
import {
  CACHE_LOOKUP_CHANNEL,
  type CacheLookupMessage,
  type CacheTier,
  compareSemver,
  createAgentFactory,
  fileTier,
  memoryTier,
  type TemplateRef,
} from "@nextgen/core";
import type { QuickstartStep } from "../context.js";
import { factoryShared } from "../shared.js";
import { renderTable } from "../table.js";

const WARM_CREATES = 1_000;

/** One line of the per-tier table. */
export interface TierRow {
  phase: string;
  tier: string;
  hits: number;
  misses: number;
  other: number;
}

/** Redis layer when `REDIS_URL` is set (and `@nextgen/cache-redis` is built), else none. */
async function redisLayers(): Promise<{ layers: CacheTier[]; close(): Promise<void> }> {
  const url = process.env.REDIS_URL;
  if (url === undefined) return { layers: [], close: async () => undefined };
  const { redisTier } = await import("@nextgen/cache-redis");
  const tier = redisTier({ url, keyPrefix: `nextgen-quickstart:${process.pid}:${Date.now()}:` });
  return {
    layers: [tier],
    close: async () => {
      await tier.clear().catch(() => undefined);
      await tier.close();
    },
  };
}

function latestVersions(refs: readonly TemplateRef[]): TemplateRef[] {
  const latest = new Map<string, TemplateRef>();
  for (const ref of refs) {
    const current = latest.get(ref.id);
    if (current === undefined || compareSemver(ref.version, current.version) > 0) latest.set(ref.id, ref);
  }
  return [...latest.values()];
}

/**
 * Creates the latest version of every sample template through a factory with a memory tier and a zstd file
 * tier (plus Redis when `REDIS_URL` is set): cold, then warm; then "restarts" with a
 * fresh factory over the same file directory, whose creates come from the file tier,
 * verified again on the way up. Prints timings and the hit ratio per tier.
 */
export const cacheStep: QuickstartStep = async (context) => {
  context.heading("Cache: memory, file and Redis tiers");
  const shared = factoryShared(context);
  const codec = await createZstdCodec();
  const dir = join(context.workDir, "template-cache");
  const redis = await redisLayers();
  // The latest version of each id, as a service would create: the trust policy refuses a
  // version older than one it already accepted (rollback), so pinning 1.x after 2.x fails.
  const refs = latestVersions(await shared.options.source.list());
  const counts = new Map<string, TierRow>();
  let phase = "";
  const onLookup = (message: unknown): void => {
    const lookup = message as CacheLookupMessage;
    const key = `${phase}/${lookup.level}`;
    const row = counts.get(key) ?? { phase, tier: `L${lookup.level + 1} ${lookup.tier}`, hits: 0, misses: 0, other: 0 };
    counts.set(key, row);
    if (lookup.result === "hit") row.hits += 1;
    else if (lookup.result === "miss") row.misses += 1;
    else row.other += 1;
  };
  diagnosticsChannel.subscribe(CACHE_LOOKUP_CHANNEL, onLookup);

  const timings: string[] = [];
  try {
    for (const label of ["first start (empty tiers)", "restart (file tier kept)"]) {
      phase = label;
      const factory = createAgentFactory({
        ...shared.options,
        cache: { layers: [memoryTier({ maxEntries: 1_000 }), fileTier({ dir, codec }), ...redis.layers] },
      });
      try {
        const coldStarted = performance.now();
        for (const ref of refs) await factory.create(ref.id, { version: ref.version });
        const coldMicros = ((performance.now() - coldStarted) * 1_000) / refs.length;
        const warmStarted = performance.now();
        for (let index = 0; index < WARM_CREATES; index++) {
          for (const ref of refs) await factory.create(ref.id, { version: ref.version });
        }
        const warmMicros = ((performance.now() - warmStarted) * 1_000) / (WARM_CREATES * refs.length);
        timings.push(`${label}: cold create ${coldMicros.toFixed(0)} µs, warm create ${warmMicros.toFixed(2)} µs`);
      } finally {
        await factory.close();
      }
    }
  } finally {
    diagnosticsChannel.unsubscribe(CACHE_LOOKUP_CHANNEL, onLookup);
    await redis.close();
  }

  console.log(
    renderTable<TierRow>(
      [
        { header: "phase", cell: (row) => row.phase },
        { header: "tier", cell: (row) => row.tier },
        { header: "hits", cell: (row) => String(row.hits), right: true },
        { header: "misses", cell: (row) => String(row.misses), right: true },
        {
          header: "hit ratio",
          cell: (row) => `${((100 * row.hits) / Math.max(1, row.hits + row.misses + row.other)).toFixed(0)} %`,
          right: true,
        },
      ],
      [...counts.values()],
    ),
  );
  for (const line of timings) console.log(line);
  console.log(
    `warm creates never reach the tiers (the factory keeps resolved templates); ` +
      `lower tiers hold signed bytes and everything coming up from them is verified again` +
      (process.env.REDIS_URL === undefined ? "; set REDIS_URL to add a Redis tier" : ""),
  );
};
