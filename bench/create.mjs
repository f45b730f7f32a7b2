// Warm factory.create against a bare `new` of the same agent class, side by side in one run.
//
//   npm run build -w @nextgen/core && node bench/create.mjs
//
// "Warm" means the template is already resolved, verified and cached (the steady state of
// a service): create is a Map lookup, `new Kind(init)` and a resolved promise. The bare
// `new` builds the same init object (template, tools, kind, a fresh instance id), so the
// ratio is the factory's overhead. Both are measured two ways: the call alone, and
// awaited (what `await factory.create(id)` costs a caller). Throughput is measured on
// one thread (this process), awaiting every create.
import { Agent, createAgentFactory, memorySource, toolRegistry, trustPolicy } from "@nextgen/core";
import { bench, do_not_optimize, group, run, summary } from "mitata";

const THROUGHPUT_MS = Number(process.env.THROUGHPUT_MS ?? 2_000);

class Specialist extends Agent {
  execute(task) {
    return task;
  }
}

const id = "security/auditor";
const factory = createAgentFactory({
  source: memorySource([
    {
      schemaVersion: 1,
      id,
      version: "1.2.0",
      name: "Security Auditor",
      role: "specialist",
      description: "Finds vulnerabilities in code and configuration.",
      capabilities: ["vulnerability-scan", "threat-modeling"],
      tools: ["secret-scan"],
      config: { model: "gpt-4o", temperature: 0.2, timeoutMs: 300_000, maxRetries: 3 },
      metadata: { tier: "critical", owner: "security-team", tags: ["audit"] },
    },
  ]),
  // Unsigned in-memory template: the warm path never verifies again, so signing changes nothing here.
  trust: trustPolicy({ version: 1, keys: [], requireSignatures: false }),
  kinds: { specialist: Specialist },
  tools: toolRegistry({ "secret-scan": (text) => /AKIA[0-9A-Z]{16}/.test(text) }),
});
const warm = await factory.create(id); // cold load: resolve, verify, cache
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

function meanOf(name) {
  for (const trial of results.benchmarks) {
    if (trial.alias === name) return trial.runs[0].stats.avg;
  }
  throw new Error(`no result for ${name}`);
}

async function throughput(fn) {
  // Batches of 1,000 keep the clock reads out of the measurement.
  let done = 0;
  const start = performance.now();
  while (performance.now() - start < THROUGHPUT_MS) {
    for (let index = 0; index < 1_000; index++) do_not_optimize(await fn());
    done += 1_000;
  }
  return done / ((performance.now() - start) / 1_000);
}

const createsPerSecond = await throughput(() => factory.create(id));
const newsPerSecond = await throughput(bareNew);
const callRatio = meanOf("factory.create(id)") / meanOf("new Specialist(init)");
const awaitedRatio = meanOf("await factory.create(id)") / meanOf("await new Specialist(init)");
console.log(`\nnode ${process.version}, one thread`);
console.log(`factory.create / new (call only): ${callRatio.toFixed(2)}×`);
console.log(`factory.create / new (awaited):   ${awaitedRatio.toFixed(2)}×`);
console.log(`awaited creates/s: ${Math.round(createsPerSecond).toLocaleString("en-US")}`);
console.log(`awaited news/s:    ${Math.round(newsPerSecond).toLocaleString("en-US")}`);
await factory.close();
