// WASI tool benchmark: a tool doing ~1 ms of CPU work run three ways, side by side in one
// run, on the built output:
//   1. wasiTool: the module in a pool worker, sandboxed (what a host ships),
//   2. the same compiled module and the same sandbox run in-process, on the main thread,
//      without the worker (no isolation: a trap or a loop would take the service with it),
//   3. the same logic written in JavaScript, in-process.
// The overhead that matters is (1) against (2): what isolation in the pool costs. The
// original design's bound is 20 %.
//
//   npm run build -w @nextgen/core && node bench/wasi.mjs [--quick]
import { readFile } from "node:fs/promises";
import { loadavg } from "node:os";
import { performance } from "node:perf_hooks";
import { wasiTool } from "@nextgen/core/pool";
import wabtInit from "wabt";

const quick = process.argv.includes("--quick");
// Many short rounds, interleaved: on a shared machine the load drifts within seconds, so each
// round's ratio compares contenders measured within a second of each other.
const ROUNDS = quick ? 5 : 31;
const CALLS = quick ? 50 : 100;
const TARGET_MS = 1;
const coreDist = new URL("../packages/core/dist/", import.meta.url);
const source = new URL("../packages/core/src/pool/wasi/fixtures/compute.wat", import.meta.url);

// The in-process column runs the very function the pool workers run.
const { default: runWasiCall } = await import(new URL("pool/wasi/wasi-runner.js", coreDist).href);

const wabt = await wabtInit();
const parsed = wabt.parseWat("compute.wat", await readFile(source, "utf8"), { bulk_memory: true });
parsed.resolveNames();
parsed.validate();
const bytes = new Uint8Array(parsed.toBinary({}).buffer);
parsed.destroy();
const compiled = await WebAssembly.compile(bytes);

/** compute.wat's loop, in JavaScript. */
function computeJs(input) {
  const rounds = Number(String(JSON.stringify(input)).replace(/\D/g, ""));
  let hash = 2463534242;
  for (let left = rounds; left > 0; left--) {
    hash = (hash ^ (hash << 13)) >>> 0;
    hash = (hash ^ (hash >>> 17)) >>> 0;
    hash = (hash ^ (hash << 5)) >>> 0;
  }
  return JSON.parse(`{"rounds":${rounds},"hash":${hash}}`);
}

const encoder = new TextEncoder();
function inProcess(input) {
  const outcome = runWasiCall({
    module: compiled,
    stdin: encoder.encode(JSON.stringify(input)),
    args: ["compute"],
    env: {},
    preopens: [],
    memoryLimitBytes: 128 * 1024 * 1024,
    maxOutputBytes: 1024 * 1024,
    maxStderrBytes: 65_536,
  });
  if (outcome.status !== "exited" || outcome.exitCode !== 0)
    throw new Error(`in-process call failed: ${outcome.message}`);
  return JSON.parse(outcome.stdout);
}

// ~1 ms per in-process call (instantiation included), after warm-up. The machine may be
// busy: each step takes the median of several batches.
function calibrate() {
  const perCall = (rounds) => {
    const batches = [];
    for (let batch = 0; batch < 7; batch++) {
      const start = performance.now();
      for (let call = 0; call < 20; call++) inProcess({ rounds });
      batches.push((performance.now() - start) / 20);
    }
    return batches.sort((a, b) => a - b)[3];
  };
  let rounds = 100_000;
  for (let warm = 0; warm < 50; warm++) inProcess({ rounds });
  for (let attempt = 0; attempt < 4; attempt++) {
    rounds = Math.max(1, Math.round((rounds * TARGET_MS) / perCall(rounds)));
  }
  return rounds;
}

const rounds = calibrate();
const input = { rounds };
const tool = wasiTool({
  module: bytes,
  description: "xorshift rounds",
  inputSchema: { type: "object" },
  pool: { minThreads: 1, maxThreads: 1 },
});
const context = { signal: undefined, toolName: "compute", agent: undefined };
const expected = computeJs(input);
for (const result of [await tool.execute(input, context), inProcess(input)]) {
  if (result.hash !== expected.hash) throw new Error("the three columns disagree");
}

const contenders = [
  {
    name: "wasiTool (pool worker, sandboxed)",
    async run() {
      for (let call = 0; call < CALLS; call++) await tool.execute(input, context);
    },
  },
  {
    name: "same module in-process (no isolation)",
    async run() {
      for (let call = 0; call < CALLS; call++) inProcess(input);
    },
  },
  {
    name: "same logic in JavaScript",
    async run() {
      for (let call = 0; call < CALLS; call++) computeJs(input);
    },
  },
];

const samples = contenders.map(() => []);
for (const contender of contenders) await contender.run(); // warm-up
for (let round = 0; round < ROUNDS; round++) {
  for (const [index, contender] of contenders.entries()) {
    const start = performance.now();
    await contender.run();
    samples[index].push((performance.now() - start) / CALLS);
  }
}
await tool.close();

const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
const perCall = samples.map(median);
const ratio = (index) => median(samples[index].map((value, round) => value / samples[1][round]));
console.log(
  `WASI tool, ${rounds} xorshift rounds per call (~${TARGET_MS} ms in-process), ${ROUNDS} interleaved rounds of ${CALLS} sequential calls`,
);
console.log(
  `node ${process.version}, ${process.platform}/${process.arch}, load average ${loadavg()
    .map((load) => load.toFixed(1))
    .join(" ")}`,
);
console.log("| contender | ms per call (median round) | vs in-process module (median of per-round ratios) |");
console.log("|---|---:|---:|");
for (const [index, contender] of contenders.entries()) {
  console.log(`| ${contender.name} | ${perCall[index].toFixed(3)} | ${ratio(index).toFixed(2)}× |`);
}
const overhead = ratio(0) - 1;
console.log(`\nisolation overhead: ${(overhead * 100).toFixed(1)} % (bound: 20 %) ${overhead <= 0.2 ? "OK" : "OVER"}`);
