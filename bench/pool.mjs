// Worker pool benchmark: @nextgen/core/pool against Piscina, poolifier and tinypool,
// side by side in one run, on the built output.
//
//   npm run build -w @nextgen/core && node bench/pool.mjs [--quick] [--only=noop|sha256|serial|adaptive]
//     [--baseline=path/to/an/other/build/dist/pool/index.js]  (e.g. main's build, side by side)
//
// Every pool runs the same task modules (bench/workers) with the same thread count.
// Rounds are interleaved (a, b, c, d, a, b, …) so machine noise spreads evenly; the
// median round is reported.
import { randomBytes } from "node:crypto";
import { availableParallelism } from "node:os";
import { resolve } from "node:path";
import { performance } from "node:perf_hooks";
import { fileURLToPath, pathToFileURL } from "node:url";
import { createWorkerPool, queueWaitPolicy, throughputClimbingPolicy } from "@nextgen/core/pool";
import { Piscina } from "piscina";
import { DynamicThreadPool, FixedThreadPool } from "poolifier";
import Tinypool from "tinypool";

const quick = process.argv.includes("--quick");

// poolifier 5.3 DynamicThreadPool sometimes throws "Worker message … received from
// unknown worker" from a MessagePort listener after it retires an idle worker. It is
// not ours to fix; note it and go on rather than lose the run.
process.on("uncaughtException", (error) => {
  if (/received from unknown worker/.test(String(error?.message))) {
    process.stderr.write(`  (ignored poolifier error: ${error.message.slice(0, 80)}…)\n`);
    return;
  }
  throw error;
});
const THREADS = 2;
const ROUNDS = quick ? 3 : 7;
const NOOP_TASKS = quick ? 20_000 : 100_000;
const SHA_TASKS = quick ? 2_000 : 10_000;
const IN_FLIGHT = 512;
const worker = (name) => new URL(`./workers/${name}.mjs`, import.meta.url);
const payload64k = randomBytes(64 * 1024);

// Another build of @nextgen/core/pool (main's, before a change) runs beside ours in the same run.
const baselinePath = process.argv.find((argument) => argument.startsWith("--baseline="))?.slice("--baseline=".length);
const baseline = baselinePath === undefined ? undefined : await import(pathToFileURL(resolve(baselinePath)).href);

/** Each contender: a name, how to create it for a task module, run one task, and close. */
const contenders = [
  {
    name: "@nextgen/core/pool",
    create: (task) => createWorkerPool({ filename: worker(task), minThreads: THREADS, maxThreads: THREADS }),
    run: (pool, data) => pool.run(data),
    close: (pool) => pool.close(),
  },
  ...(baseline === undefined
    ? []
    : [
        {
          name: "baseline build",
          create: (task) =>
            baseline.createWorkerPool({ filename: worker(task), minThreads: THREADS, maxThreads: THREADS }),
          run: (pool, data) => pool.run(data),
          close: (pool) => pool.close(),
        },
      ]),
  {
    name: "piscina",
    create: (task) => new Piscina({ filename: worker(task).href, minThreads: THREADS, maxThreads: THREADS }),
    run: (pool, data) => pool.run(data),
    close: (pool) => pool.destroy(),
  },
  {
    name: "poolifier (fixed)",
    create: (task) => new FixedThreadPool(THREADS, fileURLToPath(worker(`poolifier-${task}`))),
    run: (pool, data) => pool.execute(data),
    close: (pool) => pool.destroy(),
  },
  {
    name: "poolifier (dynamic)",
    create: (task) => new DynamicThreadPool(1, THREADS, fileURLToPath(worker(`poolifier-${task}`))),
    run: (pool, data) => pool.execute(data),
    close: (pool) => pool.destroy(),
  },
  {
    name: "tinypool",
    create: (task) => new Tinypool({ filename: worker(task).href, minThreads: THREADS, maxThreads: THREADS }),
    run: (pool, data) => pool.run(data),
    close: (pool) => pool.destroy(),
  },
];

/** Runs `count` tasks keeping `inFlight` outstanding; returns wall time and per-task latencies. */
async function drive(contender, pool, count, inFlight, data) {
  const latencies = new Float64Array(count);
  let next = 0;
  const start = performance.now();
  async function lane() {
    while (next < count) {
      const index = next++;
      const begin = performance.now();
      await contender.run(pool, data);
      latencies[index] = performance.now() - begin;
    }
  }
  await Promise.all(Array.from({ length: Math.min(inFlight, count) }, lane));
  return { ms: performance.now() - start, latencies };
}

/** Runs `work`, or gives up after 60 s (a stalled peer must not hide the other results). */
async function withDeadline(work) {
  let timer;
  const deadline = new Promise((resolve) => {
    timer = setTimeout(resolve, 60_000, undefined);
  });
  try {
    return await Promise.race([work(), deadline]);
  } finally {
    clearTimeout(timer);
  }
}

const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
const percentile = (values, q) => {
  const sorted = Float64Array.from(values).sort();
  return sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)];
};

async function scenario(title, task, count, inFlight, data) {
  const pools = [];
  for (const contender of contenders) {
    process.stderr.write(`  warming ${contender.name} (${task})\n`);
    const pool = contender.create(task);
    // Warm up: threads started, code optimised.
    await drive(contender, pool, Math.min(2_000, count), inFlight, data);
    pools.push({ contender, pool, rounds: [], p99: [] });
  }
  for (let round = 0; round < ROUNDS; round++) {
    for (const entry of pools) {
      const { ms, latencies } = await drive(entry.contender, entry.pool, count, inFlight, data);
      entry.rounds.push(ms);
      entry.p99.push(percentile(latencies, 0.99));
    }
  }
  for (const entry of pools) await entry.contender.close(entry.pool);
  const ours = pools[0];
  const ourMs = median(ours.rounds);
  console.log(`\n## ${title} (${count} tasks, ${inFlight} in flight, ${THREADS} threads, median of ${ROUNDS})`);
  console.table(
    pools.map(({ contender, rounds, p99 }) => {
      const ms = median(rounds);
      return {
        pool: contender.name,
        "tasks/s": Math.round((count * 1000) / ms),
        "µs/task": Number(((ms * 1000) / count).toFixed(2)),
        "p99 ms": Number(median(p99).toFixed(3)),
        "ours ×": Number((ms / ourMs).toFixed(2)),
      };
    }),
  );
}

/** One task at a time: the round trip a lone request pays. */
async function serialLatency() {
  const rows = [];
  for (const contender of contenders) {
    process.stderr.write(`  serial ${contender.name}\n`);
    const pool = contender.create("noop");
    const outcome = await withDeadline(async () => {
      await drive(contender, pool, 2_000, 1, 0);
      return drive(contender, pool, quick ? 5_000 : 20_000, 1, 0);
    });
    if (outcome === undefined) {
      rows.push({ pool: `${contender.name} (stalled)`, "p50 µs": Number.NaN, "p99 µs": Number.NaN });
      continue;
    }
    rows.push({
      pool: contender.name,
      "p50 µs": percentile(outcome.latencies, 0.5) * 1000,
      "p99 µs": percentile(outcome.latencies, 0.99) * 1000,
    });
    // poolifier's destroy() can stall after the serial run, with nothing keeping the process alive.
    if (
      (await withDeadline(async () => {
        await contender.close(pool);
        return true;
      })) === undefined
    ) {
      process.stderr.write(`  ${contender.name}: close() stalled\n`);
    }
  }
  console.log("\n## No-op round trip, one task in flight");
  console.table(
    rows.map((row) => ({
      ...row,
      "p50 µs": Number(row["p50 µs"].toFixed(1)),
      "p99 µs": Number(row["p99 µs"].toFixed(1)),
    })),
  );
}

/** The adaptive policies against every fixed size, on the CPU task, starting cold at 1 thread. */
async function adaptive() {
  const maxThreads = availableParallelism() * 2;
  const configurations = [
    ...Array.from({ length: maxThreads }, (_, index) => ({
      name: `fixed ${index + 1}`,
      options: { minThreads: index + 1, maxThreads: index + 1 },
    })),
    {
      name: "queueWaitPolicy (default)",
      options: { minThreads: 1, maxThreads: "auto", scaling: { policy: queueWaitPolicy } },
    },
    {
      name: "throughputClimbingPolicy",
      options: { minThreads: 1, maxThreads: "auto", scaling: { policy: throughputClimbingPolicy } },
    },
    ...(baseline === undefined
      ? []
      : [
          {
            name: "baseline build, queueWaitPolicy",
            create: baseline.createWorkerPool,
            options: { minThreads: 1, maxThreads: "auto", scaling: { policy: baseline.queueWaitPolicy } },
          },
        ]),
  ];
  // Long enough (a few seconds per run) that the policies' ramp-up from one thread is a
  // small part of the run, as it is for a long-lived service.
  const count = quick ? 20_000 : 150_000;
  const results = new Map(configurations.map(({ name }) => [name, []]));
  for (let round = 0; round < ROUNDS; round++) {
    for (const { name, options, create = createWorkerPool } of configurations) {
      const pool = create({ filename: worker("sha256"), ...options });
      const { ms } = await drive(contenders[0], pool, count, 64, payload64k);
      results.get(name).push({ ms, threads: pool.stats().threads });
      await pool.close();
    }
  }
  const rows = configurations.map(({ name }) => {
    const ms = median(results.get(name).map((result) => result.ms));
    return {
      configuration: name,
      "tasks/s": Math.round((count * 1000) / ms),
      ms,
      "threads at end": results.get(name).at(-1).threads,
    };
  });
  const bestFixed = Math.min(...rows.filter((row) => row.configuration.startsWith("fixed")).map((row) => row.ms));
  console.log(
    `\n## Adaptive sizing, SHA-256 of 64 KiB (${count} tasks from a cold pool, ${availableParallelism()} CPUs)`,
  );
  console.table(rows.map(({ ms, ...row }) => ({ ...row, "vs best fixed": Number((bestFixed / ms).toFixed(3)) })));
}

console.log(`Node ${process.version}, ${availableParallelism()} CPUs${quick ? ", quick mode" : ""}`);
// `--only=noop|sha256|serial|adaptive` runs one part.
const only = process.argv.find((argument) => argument.startsWith("--only="))?.slice("--only=".length);
if (!only || only === "noop") await scenario("No-op tasks", "noop", NOOP_TASKS, IN_FLIGHT, 0);
if (!only || only === "sha256") await scenario("SHA-256 of 64 KiB", "sha256", SHA_TASKS, 16, payload64k);
if (!only || only === "serial") await serialLatency();
if (!only || only === "adaptive") await adaptive();
