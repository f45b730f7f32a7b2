// Warm factory.create against a bare `new` of the same agent class, side by side in one run.
//
//   npm run build -w @nextgen/core && node bench/create.mjs
//
// "Warm" means the template is already resolved, verified and cached (the steady state of
// a service): create is a Map lookup, `new Kind(init)` and a resolved promise. The template
// is signed with a throwaway Ed25519 key and the policy requires signatures, as a service
// runs it: the cold load verifies the signature once; warm creates reuse the verdict. The bare
// `new` builds the same init object (template, tools, kind, a fresh instance id), so the
// ratio is the factory's overhead. mitata first shows both per call (the call alone,
// and awaited: what `await factory.create(id)` costs a caller); the headline ratio and
// throughput come from interleaved rounds on one thread (see below).
import { createAgentFactory, memorySource } from "@nextgen/core";
import { bench, do_not_optimize, group, run, summary } from "mitata";
import { auditorTools, AUDITOR_ID as id, Specialist, signedAuditor } from "./support/signed-auditor.mjs";

const { template: signed, trust } = await signedAuditor("bench-create");
const factory = createAgentFactory({
  source: memorySource([signed]),
  trust,
  kinds: { specialist: Specialist },
  tools: auditorTools(),
});
const warm = await factory.create(id); // cold load: resolve, verify the signature, cache
if (trust.cryptoOperations !== 1) throw new Error(`expected 1 signature verification, saw ${trust.cryptoOperations}`);
const { template, tools } = warm;
let counter = 0;
const bareNew = () => new Specialist({ template, tools, kind: "specialist", instanceId: `bare-${++counter}` });

summary(() => {
  group("create (call only)", () => {
    bench("new Specialist(init)", () => do_not_optimize(bareNew())).baseline(true);
    bench("factory.create(id)", () => do_not_optimize(factory.create(id)));
  });
  group("create (awaited)", () => {
    bench("await new Specialist(init)", async () => do_not_optimize(await bareNew())).baseline(true);
    bench("await factory.create(id)", async () => do_not_optimize(await factory.create(id)));
  });
});

const results = await run({ format: process.env.FORMAT ?? "mitata" });

function statOf(name, stat) {
  for (const trial of results.benchmarks) {
    if (trial.alias === name) return trial.runs[0].stats[stat];
  }
  throw new Error(`no result for ${name}`);
}

// Headline figures: interleaved rounds (order alternating), each timing a batch of awaited
// creates and a batch of awaited bare `new`s back to back, so both see the same machine
// load; the median round is reported. One thread, every create awaited.
const ROUNDS = Number(process.env.ROUNDS ?? 9);
const BATCH = Number(process.env.BATCH ?? 200_000);

async function timeBatch(fn) {
  const start = performance.now();
  for (let index = 0; index < BATCH; index++) do_not_optimize(await fn());
  return (performance.now() - start) / 1_000;
}

const rounds = [];
for (let round = 0; round < ROUNDS; round++) {
  const createFirst = round % 2 === 0;
  const first = await timeBatch(createFirst ? () => factory.create(id) : bareNew);
  const second = await timeBatch(createFirst ? bareNew : () => factory.create(id));
  const [createSeconds, newSeconds] = createFirst ? [first, second] : [second, first];
  rounds.push({
    ratio: createSeconds / newSeconds,
    createsPerSecond: BATCH / createSeconds,
    newsPerSecond: BATCH / newSeconds,
  });
}
const median = (values) => values.sort((a, b) => a - b)[Math.floor(values.length / 2)];
const callRatio = (stat) => statOf("factory.create(id)", stat) / statOf("new Specialist(init)", stat);
console.log(`\nnode ${process.version}, one thread, ${ROUNDS} interleaved rounds of ${BATCH.toLocaleString("en-US")}`);
console.log(`factory.create / new, awaited (median round): ${median(rounds.map((r) => r.ratio)).toFixed(2)}×`);
console.log(`  rounds: ${rounds.map((r) => r.ratio.toFixed(2)).join(" ")}`);
console.log(
  `factory.create / new, call only (mitata): median ${callRatio("p50").toFixed(2)}×, mean ${callRatio("avg").toFixed(2)}×`,
);
console.log(
  `awaited creates/s (median round): ${Math.round(median(rounds.map((r) => r.createsPerSecond))).toLocaleString("en-US")}`,
);
console.log(
  `awaited news/s (median round):    ${Math.round(median(rounds.map((r) => r.newsPerSecond))).toLocaleString("en-US")}`,
);
console.log(`signature verifications (Ed25519, requireSignatures: true): ${trust.cryptoOperations}, at the cold load`);
await factory.close();
