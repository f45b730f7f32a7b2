// The cold path: a create that reads, strictly parses, verifies and resolves a template no
// one has loaded yet, against the floor a user could not go below, side by side in one run.
//
//   npm run build -w @nextgen/core && node bench/cold.mjs
//   COLD=2000 STARTUP=10000 ROUNDS=5 STARTUP_ROUNDS=3 node bench/cold.mjs   # the defaults
//   STARTUP=0 node --cpu-prof bench/cold.mjs                 # (a) only, with a profile
//   COLD=200 POOL=1 node bench/cold.mjs                       # (b) through prewarm({ pool: true }) with an agent pool
//
// Templates are real files in a temporary directory (`<namespace>/<name>.json`, 100 per
// namespace), each one distinct and signed with an Ed25519 key the policy requires.
//
// Floor, per template: `readFile` + `JSON.parse` + one `jose` `flattenedVerify` (Ed25519)
// of its signature over its canonical bytes. Beside it, for context, the same work as
// blocking calls (`readFileSync` + `JSON.parse` + one synchronous node:crypto `verify`):
// what the factory's default read mode and signature check are built from, so the gap to
// it is everything the factory adds. The canonical bytes (base64url, as a JWS
// payload) are computed before the clock starts (as if the file held them), so the floor leaves out the canonicalisation,
// hashing, strict parsing, rollback checks and resolution the SDK does: it is the cost of
// the I/O and the cryptography alone.
//
// (a) cold create: a fresh factory over `directorySource`, each id created once, one after
//     the other; p50/p99 of each create, against p50/p99 of the floor done the same way.
//     Rounds rotate which side goes first; the median round is reported. The blocking
//     floor runs beside them, for context (it is not what the target is measured against).
// (b) start-up: `createAgentFactory` + `factory.prewarm(allIds)` until every template is
//     verified and ready, against the floor over all templates at once (`Promise.all`).
import { verify as cryptoVerify, generateKeyPairSync } from "node:crypto";
import { readFileSync } from "node:fs";
import { mkdir, mkdtemp, readFile, rm, utimes, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  Agent,
  canonicalize,
  createAgentFactory,
  directorySource,
  localKeySigner,
  memoryStateStore,
  signTemplate,
  toolRegistry,
  trustPolicy,
} from "@nextgen/core";
import { flattenedVerify, importJWK } from "jose";

const COLD = Number(process.env.COLD ?? 2_000);
const STARTUP = Number(process.env.STARTUP ?? 10_000);
// Rounds of (a) and of (b); the median round is reported. (a)'s rounds take ~2 s each.
const ROUNDS = Number(process.env.ROUNDS ?? 5);
const STARTUP_ROUNDS = Number(process.env.STARTUP_ROUNDS ?? 3);
// Start-up through `prewarm(ids, { pool: true })`: the strict parse runs in an agent pool.
const POOL = process.env.POOL === "1";
const PER_NAMESPACE = 100;

class Specialist extends Agent {
  execute(task) {
    return task;
  }
}

const { privateKey, publicKey } = generateKeyPairSync("ed25519");
const keyId = "bench-cold";
const jwk = { ...publicKey.export({ format: "jwk" }), kid: keyId, alg: "EdDSA" };
const joseKey = await importJWK(jwk, "EdDSA");
const signer = localKeySigner({ key: privateKey, keyId });
const policy = () =>
  trustPolicy({ version: 1, keys: [jwk], requireSignatures: true }, { stateStore: memoryStateStore() });

const idOf = (index) => `ns${String(Math.floor(index / PER_NAMESPACE)).padStart(3, "0")}/agent-${index}`;

/** Writes `count` distinct signed templates; returns their ids, paths and canonical bytes. */
async function writeTemplates(root, count) {
  const items = [];
  for (let index = 0; index < count; index++) {
    const id = idOf(index);
    const template = {
      schemaVersion: 1,
      id,
      version: `1.${index % 7}.${index}`,
      name: `Agent ${index}`,
      role: "specialist",
      description: `Template ${index} of the cold-path benchmark: distinct bytes, distinct digest.`,
      capabilities: ["vulnerability-scan", `capability-${index % 13}`],
      tools: ["secret-scan"],
      config: { model: "gpt-4o", temperature: 0.2, timeoutMs: 300_000, maxRetries: 3 },
      metadata: { tier: "critical", owner: "security-team", tags: ["audit", `t${index % 5}`] },
    };
    const signed = await signTemplate(template, signer);
    const path = join(root, `${id}.json`);
    if (index % PER_NAMESPACE === 0) await mkdir(join(root, id.slice(0, id.indexOf("/"))), { recursive: true });
    await writeFile(path, `${JSON.stringify(signed, null, 2)}\n`);
    items.push({ id, path, payload: Buffer.from(canonicalize(template)).toString("base64url") });
  }
  // Deployed before the service starts: the folders have been quiet for a while.
  const hourAgo = new Date(Date.now() - 3_600_000);
  for (let index = 0; index < count; index += PER_NAMESPACE) {
    const id = idOf(index);
    await utimes(join(root, id.slice(0, id.indexOf("/"))), hourAgo, hourAgo);
  }
  return items;
}

/** The floor for one template: read, parse, verify its one signature over its canonical bytes. */
async function floorOne({ path, payload }) {
  const parsed = JSON.parse(await readFile(path, "utf8"));
  const [entry] = parsed.signatures;
  await flattenedVerify({ protected: entry.protected, signature: entry.signature, payload }, joseKey);
  return parsed;
}

/** The same work as blocking calls: read, parse, one synchronous Ed25519 verify. */
async function blockingFloorOne({ path, payload }) {
  const parsed = JSON.parse(readFileSync(path, "utf8"));
  const [entry] = parsed.signatures;
  const input = Buffer.from(`${entry.protected}.${payload}`);
  if (!cryptoVerify(null, input, publicKey, Buffer.from(entry.signature, "base64url")))
    throw new Error("bad signature");
  return parsed;
}

const pool = POOL ? (await import("@nextgen/core/pool")).createAgentPool({ maxThreads: "auto" }) : undefined;
const newFactory = (root, trust = policy()) =>
  createAgentFactory({
    source: directorySource(root),
    trust,
    kinds: { specialist: Specialist },
    tools: toolRegistry({ "secret-scan": (text) => /AKIA[0-9A-Z]{16}/.test(text) }),
    ...(pool === undefined ? {} : { pool }),
  });

const quantile = (sorted, q) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
const fmt = (ms) => `${(ms * 1000).toFixed(0)} µs`;

/** Times each call; the sorted times carry the side's process CPU per call (`cpuMs`). */
async function timeEach(items, fn) {
  const times = new Float64Array(items.length);
  const cpu = process.cpuUsage();
  for (let index = 0; index < items.length; index++) {
    const start = performance.now();
    await fn(items[index]);
    times[index] = performance.now() - start;
  }
  const used = process.cpuUsage(cpu);
  return Object.assign(times.sort(), { cpuMs: (used.user + used.system) / 1000 / items.length });
}

const root = await mkdtemp(join(tmpdir(), "nextgen-cold-"));
try {
  // ── (a) cold create ────────────────────────────────────────────────────────────────
  const coldRoot = join(root, "cold");
  const coldItems = await writeTemplates(coldRoot, COLD);
  // One throwaway read of every file, so no side pays the first read's access-time update
  // (relatime dirties each freshly written inode once, and the journal commits it), and a
  // throwaway pass of each side over 200 templates, so all run JIT-compiled code (a
  // service's cold creates happen after its first few).
  for (const { path } of coldItems) await readFile(path);
  await timeEach(coldItems.slice(0, 200), floorOne);
  await timeEach(coldItems.slice(0, 200), blockingFloorOne);
  {
    const warmup = newFactory(coldRoot);
    for (const { id } of coldItems.slice(0, 200)) await warmup.create(id);
    await warmup.close();
  }
  const rounds = [];
  for (let round = 0; round < ROUNDS; round++) {
    const createSide = async () => {
      const factory = newFactory(coldRoot);
      const times = await timeEach(coldItems, ({ id }) => factory.create(id));
      await factory.close();
      return times;
    };
    const floorSide = () => timeEach(coldItems, floorOne);
    const blockingSide = () => timeEach(coldItems, blockingFloorOne);
    // Rotate which side goes first.
    const sides = [
      ["create", createSide],
      ["floor", floorSide],
      ["blocking", blockingSide],
    ];
    const order = [...sides.slice(round % 3), ...sides.slice(0, round % 3)];
    const times = {};
    for (const [name, side] of order) times[name] = await side();
    const { create, floor, blocking } = times;
    rounds.push({
      createP50: quantile(create, 0.5),
      createP99: quantile(create, 0.99),
      floorP50: quantile(floor, 0.5),
      floorP99: quantile(floor, 0.99),
      blockingP50: quantile(blocking, 0.5),
      blockingP99: quantile(blocking, 0.99),
      createCpu: create.cpuMs,
      floorCpu: floor.cpuMs,
      blockingCpu: blocking.cpuMs,
    });
  }
  const pick = (key) => median(rounds.map((r) => r[key]));
  const [cP50, cP99, fP50, fP99] = ["createP50", "createP99", "floorP50", "floorP99"].map(pick);
  console.log(`node ${process.version}; ${COLD.toLocaleString("en-US")} distinct signed templates, ${ROUNDS} rounds`);
  console.log("(a) cold create, one after the other (median round)");
  console.log(`  factory.create      p50 ${fmt(cP50)}  p99 ${fmt(cP99)}   (target p99 ≤ 1000 µs)`);
  console.log(`  floor               p50 ${fmt(fP50)}  p99 ${fmt(fP99)}`);
  console.log(
    `  floor, blocking     p50 ${fmt(pick("blockingP50"))}  p99 ${fmt(pick("blockingP99"))}   (context: readFileSync + JSON.parse + sync verify)`,
  );
  console.log(`  ratio to the floor  p50 ${(cP50 / fP50).toFixed(2)}×  p99 ${(cP99 / fP99).toFixed(2)}×`);
  console.log(`  rounds p99: ${rounds.map((r) => fmt(r.createP99)).join(", ")}`);
  // Process CPU per template (main thread, file and crypto threads): steadier than wall time on a busy machine.
  const [cCpu, fCpu] = ["createCpu", "floorCpu"].map(pick);
  console.log(
    `  CPU per template: ${fmt(cCpu)} vs ${fmt(fCpu)}, ratio ${(cCpu / fCpu).toFixed(2)}× (blocking floor ${fmt(pick("blockingCpu"))})`,
  );

  // ── (b) start-up ───────────────────────────────────────────────────────────────────
  if (STARTUP > 0) {
    const startRoot = join(root, "startup");
    const startItems = await writeTemplates(startRoot, STARTUP);
    const ids = startItems.map((item) => item.id);
    const startup = [];
    for (let round = 0; round < STARTUP_ROUNDS; round++) {
      const factorySide = async () => {
        const trust = policy();
        const cpu = process.cpuUsage();
        const start = performance.now();
        const factory = newFactory(startRoot, trust);
        const { loaded, failed } = await factory.prewarm(ids, { pool: POOL });
        const elapsed = performance.now() - start;
        const used = process.cpuUsage(cpu);
        if (loaded.length !== ids.length) throw new Error(`prewarm failed: ${JSON.stringify(failed.slice(0, 3))}`);
        // Ready: every signature checked once, and a create afterwards checks none.
        await factory.create(ids[ids.length - 1]);
        if (trust.cryptoOperations !== ids.length) {
          throw new Error(`expected ${ids.length} signature checks, saw ${trust.cryptoOperations}`);
        }
        await factory.close();
        return { ms: elapsed, cpuMs: (used.user + used.system) / 1000 };
      };
      const floorSide = async () => {
        const cpu = process.cpuUsage();
        const start = performance.now();
        await Promise.all(startItems.map(floorOne));
        const elapsed = performance.now() - start;
        const used = process.cpuUsage(cpu);
        return { ms: elapsed, cpuMs: (used.user + used.system) / 1000 };
      };
      const factoryFirst = round % 2 === 0;
      const first = await (factoryFirst ? factorySide() : floorSide());
      const second = await (factoryFirst ? floorSide() : factorySide());
      const [ours, floor] = factoryFirst ? [first, second] : [second, first];
      startup.push({
        factoryMs: ours.ms,
        floorMs: floor.ms,
        ratio: ours.ms / floor.ms,
        factoryCpuMs: ours.cpuMs,
        floorCpuMs: floor.cpuMs,
        cpuRatio: ours.cpuMs / floor.cpuMs,
      });
    }
    const best = median(startup.map((r) => r.ratio));
    console.log(`(b) start-up with ${STARTUP.toLocaleString("en-US")} signed templates (median round)`);
    console.log(`  createAgentFactory + prewarm  ${median(startup.map((r) => r.factoryMs)).toFixed(0)} ms`);
    console.log(`  floor (Promise.all)           ${median(startup.map((r) => r.floorMs)).toFixed(0)} ms`);
    console.log(`  ratio to the floor            ${best.toFixed(2)}×   (target ≤ 1.5×)`);
    // Process CPU (main thread, file and crypto threads): steadier than wall time on a busy machine.
    const cpu = (key) => median(startup.map((r) => r[key])).toFixed(0);
    console.log(
      `  CPU time: ${cpu("factoryCpuMs")} ms vs ${cpu("floorCpuMs")} ms, ratio ${median(startup.map((r) => r.cpuRatio)).toFixed(2)}×`,
    );
    console.log(`  rounds: ${startup.map((r) => r.ratio.toFixed(2)).join(" ")}`);
  }
} finally {
  await pool?.close();
  await rm(root, { recursive: true, force: true });
}
