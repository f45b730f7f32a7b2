// A real workload on the real factory and a real worker pool, measured by Prometheus: what an
// operator's dashboard and alerts would see. The assets test checks every metric they query
// against the series this text actually contains.
import type { RunContext } from "@nextgen/core";
import { createWorkerPool } from "@nextgen/core/pool";
import { Registry } from "prom-client";
import { registerPrometheusMetrics } from "../prometheus/register-prometheus-metrics.js";
import { realFactory, Specialist } from "./real-factory.js";

/** Runs cold and warm creates, a failed create and worker-backed runs; returns `/metrics`. */
export async function realWorkloadMetrics(): Promise<string> {
  const pool = createWorkerPool({
    filename: new URL("./carrier-worker.mjs", import.meta.url),
    name: "auditor",
    minThreads: 1,
    maxThreads: 1,
    maxQueue: 16,
  });
  class PooledSpecialist extends Specialist {
    protected override execute(task: string, context?: RunContext): string {
      return pool.run(task, { traceCarrier: context?.traceCarrier }) as never;
    }
  }
  const { factory, trust, sibling, cleanup } = await realFactory(PooledSpecialist);
  const registry = new Registry();
  // Queue capacity (maxQueue 16) reaches the gauge through the pool's task events.
  const prometheus = registerPrometheusMetrics({ registry, trust, pools: [pool] });
  try {
    for (let index = 0; index < 5; index++) {
      const agent = await factory.create("security/auditor");
      await agent.run("src/");
    }
    await factory.create("security/missing").catch(() => undefined);
    // A second factory over the same file tier: its cold create is a tier hit, with an age.
    await sibling().create("security/auditor");
    return await registry.metrics();
  } finally {
    prometheus.close();
    await cleanup();
    await pool.close();
  }
}

/** Names of the series that have at least one sample in Prometheus `text`. */
export function sampledSeriesNames(text: string): Set<string> {
  const names = new Set<string>();
  for (const line of text.split("\n")) {
    const match = /^([a-zA-Z_:][a-zA-Z0-9_:]*)[{ ]/.exec(line);
    if (match?.[1] !== undefined) names.add(match[1]);
  }
  return names;
}
