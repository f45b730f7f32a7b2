// The tiered cache against the peers a user would reach for, side by side in one run.
//
//   npm run build -w @nextgen/core -w @nextgen/compression -w @nextgen/cache-redis
//   node bench/cache.mjs                       # Redis rows need REDIS_URL or a local Redis
//   ONLY=stampede node bench/cache.mjs         # the stampede rows alone
//
// 1. Warm create through the factory (L1 hit) against a bare lru-cache get plus a bare
//    `new` of the same agent class: the target is within 1.5×.
// 2. A file-tier hit and a Redis-tier hit, raw (against fs.readFile / a bare node-redis
//    GET of the same bytes) and through the tiered cache with L1 cold, which also parses
//    and verifies what comes up (lower tiers are untrusted). The same digest comes up
//    every time, so after the first hit the signature verdict comes from the policy's
//    memo: each get still canonicalizes, hashes and checks the rollback mark, but runs no
//    cryptography.
// 3. A stampede: 10,000 concurrent creates of one cold template (one source read, one
//    verification) against 10,000 concurrent lru-cache `fetch`es (its own single-flight).
//    Each round gets a fresh policy memo, so its one verification is a real Ed25519 check.
//
// The template is signed with a throwaway Ed25519 key and every policy requires signatures,
// as a service runs it.
import { randomUUID } from "node:crypto";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  createAgentFactory,
  createTieredCache,
  fileTier,
  memorySource,
  memoryStateStore,
  memoryTier,
  parseTemplate,
} from "@nextgen/core";
import { LRUCache } from "lru-cache";
import { bench, do_not_optimize, group, run, summary } from "mitata";
import { auditorTools, AUDITOR_ID as id, Specialist, signedAuditor } from "./support/signed-auditor.mjs";

const { template, trust } = await signedAuditor("bench-cache");
const bytes = new TextEncoder().encode(JSON.stringify(template));
const tools = auditorTools();
const dir = await mkdtemp(join(tmpdir(), "nextgen-bench-cache-"));
const codec = await import("@nextgen/compression").then(
  ({ createZstdCodec }) => createZstdCodec(),
  () => undefined,
);

const factory = createAgentFactory({
  source: memorySource([template]),
  trust,
  kinds: { specialist: Specialist },
  tools,
  cache: { layers: [memoryTier(), fileTier({ dir: join(dir, "factory"), codec })] },
});
const warm = await factory.create(id); // cold load: verifies the signature
if (trust.cryptoOperations !== 1) throw new Error(`expected 1 signature verification, saw ${trust.cryptoOperations}`);
const init = { template: warm.template, tools: warm.tools, kind: "specialist" };
const lru = new LRUCache({ max: 10_000 });
lru.set(id, init);
let counter = 0;
// The same init object the factory builds: template, tools, kind and a fresh instance id.
const lruGetAndNew = () => {
  const entry = lru.get(id);
  return new Specialist({
    template: entry.template,
    tools: entry.tools,
    kind: entry.kind,
    instanceId: `bare-${++counter}`,
  });
};

// Lower tiers, raw and through a tiered cache whose L1 is emptied before every get.
const files = fileTier({ dir: join(dir, "tier"), codec });
await files.set(id, bytes);
const [entryFile] = (await import("node:fs")).readdirSync(join(dir, "tier"));
const admit = async (value) => {
  const parsed = parseTemplate(value);
  await trust.verify(parsed);
  return Object.freeze(parsed);
};
// The in-process cache is internal: a monotonic clock that jumps a second per reading,
// with a 1 ms TTL and no grace, makes every get find its L1 entry gone (a cold L1).
let tick = 0;
const coldL1 = { ttlMs: 1, staleGraceMs: 0, monotonicClock: { now: () => (tick += 1_000) } };
const throughFile = createTieredCache({ layers: [files], admit, load: async () => undefined, ...coldL1 });

let redis;
let redisClient;
let throughRedis;
let redisKey;
const redisUrl = process.env.REDIS_URL ?? "redis://127.0.0.1:6379";
try {
  const { redisTier } = await import("@nextgen/cache-redis");
  const { createClient, RESP_TYPES } = await import("redis");
  const prefix = `nextgen-bench:${randomUUID()}:`;
  redis = redisTier({ url: redisUrl, keyPrefix: prefix, operationTimeoutMs: 1_000 });
  await redis.set(id, bytes);
  redisClient = createClient({ url: redisUrl }).withTypeMapping({ [RESP_TYPES.BLOB_STRING]: Buffer });
  await redisClient.connect();
  throughRedis = createTieredCache({ layers: [redis], admit, load: async () => undefined, ...coldL1 });
  if ((await throughRedis.get(id)) === undefined) throw new Error("redis tier did not answer");
  redisKey = prefix + id;
} catch (error) {
  console.warn(`Redis rows skipped: ${error.message} (set REDIS_URL)`);
  redis = undefined;
}

// ONLY=stampede runs the stampede rows alone.
const onlyStampede = process.env.ONLY === "stampede";
if (!onlyStampede)
  summary(() => {
    group("warm create (awaited)", () => {
      bench("lru.get + new Specialist", async () => do_not_optimize(await lruGetAndNew())).baseline(true);
      bench("factory.create (L1 hit)", async () => do_not_optimize(await factory.create(id)));
    });
    group("warm create (call only)", () => {
      bench("lru.get + new Specialist", () => do_not_optimize(lruGetAndNew())).baseline(true);
      bench("factory.create (L1 hit)", () => do_not_optimize(factory.create(id)));
    });
    group("file tier hit", () => {
      bench("fs.readFile (peer)", async () => do_not_optimize(await readFile(join(dir, "tier", entryFile)))).baseline(
        true,
      );
      bench("fileTier.get", async () => do_not_optimize(await files.get(id)));
      bench("tiered get via file tier (parse + verify)", async () => {
        do_not_optimize(await throughFile.get(id));
      });
    });
    if (redis !== undefined) {
      group("redis tier hit", () => {
        bench("node-redis GET (peer)", async () => do_not_optimize(await redisClient.get(redisKey))).baseline(true);
        bench("redisTier.get", async () => do_not_optimize(await redis.get(id)));
        bench("tiered get via redis tier (parse + verify)", async () => {
          do_not_optimize(await throughRedis.get(id));
        });
      });
    }
  });

if (!onlyStampede) await run({ format: process.env.FORMAT ?? "mitata" });
console.log(
  `\nsignature verifications so far (Ed25519; tier hits of a known digest are memoized): ${trust.cryptoOperations}`,
);

// Stampede: fresh factory and fresh lru-cache per round, 10,000 concurrent requests each.
const ROUNDS = Number(process.env.ROUNDS ?? 20);
let factoryMs = 0;
let lruMs = 0;
let sourceReads = 0;
let stampedeVerifications = 0;
for (let round = 0; round < ROUNDS; round += 1) {
  const source = memorySource([template]);
  const counted = {
    ...source,
    name: source.name,
    get: (...args) => {
      sourceReads += 1;
      return source.get(...args);
    },
  };
  // A fresh memo and rollback state: what a process that never saw this template starts with.
  const coldTrust = trust.withOptions({ stateStore: memoryStateStore() });
  const cold = createAgentFactory({
    source: counted,
    trust: coldTrust,
    kinds: { specialist: Specialist },
    tools,
    cache: { layers: [memoryTier()] },
  });
  let start = performance.now();
  await Promise.all(Array.from({ length: 10_000 }, () => cold.create(id)));
  factoryMs += performance.now() - start;
  stampedeVerifications += coldTrust.cryptoOperations;
  await cold.close();

  const peer = new LRUCache({
    max: 10,
    fetchMethod: async () => {
      await Promise.resolve();
      return init;
    },
  });
  start = performance.now();
  await Promise.all(
    Array.from({ length: 10_000 }, async () => {
      const entry = await peer.fetch(id);
      return new Specialist({ template: entry.template, tools: entry.tools, kind: entry.kind, instanceId: "p" });
    }),
  );
  lruMs += performance.now() - start;
}
console.log(
  `\nstampede of 10,000 concurrent creates of one cold template, mean of ${ROUNDS} rounds:\n` +
    `  factory (tiered cache): ${(factoryMs / ROUNDS).toFixed(2)} ms, source reads per round: ${sourceReads / ROUNDS}, ` +
    `signature verifications per round: ${stampedeVerifications / ROUNDS}\n` +
    `  lru-cache fetch + new:  ${(lruMs / ROUNDS).toFixed(2)} ms\n` +
    `  ratio: ${(factoryMs / lruMs).toFixed(2)}×`,
);

await factory.close();
await throughFile.close();
if (redis !== undefined) {
  await throughRedis.close();
  redisClient.destroy();
}
await rm(dir, { recursive: true, force: true });
