import { loadCluster, saveCluster } from "./cluster-files.js";
import { launch } from "./cluster-up-down.js";
import { waitSlotsUp } from "./haproxy.js";
import { type LoadSummary, runLoad, summarize } from "./load-generator.js";

/** What `chaos` reports. */
export interface ChaosReport {
  replicas: number;
  killed: number;
  durationMs: number;
  requests: number;
  failed: number;
  failedStatuses: number[];
  before: LoadSummary;
  during: LoadSummary;
  after: LoadSummary;
  /** From the restart at 2/3 of the duration until HAProxy's checks see every replica up again. */
  backToFullCapacityMs: number;
}

/**
 * `chaos --kill 25%`: a steady load on the load balancer for `durationMs`; at a third of it,
 * SIGKILL that share of the replicas (at least one); at two thirds, restart them on the same
 * ports and measure the time until HAProxy sees all of them up again.
 */
export async function chaos(
  dir: string,
  options: { killShare: number; durationMs: number; concurrency: number },
): Promise<ChaosReport> {
  const { cluster, processes } = await loadCluster(dir);
  const total = processes.replicas.length;
  const killed = Math.min(total, Math.max(1, Math.round(total * options.killShare)));
  const victims = processes.replicas.slice(0, killed);
  const killAt = options.durationMs / 3;
  const restartAt = (2 * options.durationMs) / 3;
  const started = performance.now();
  const samples = runLoad({
    url: cluster.lb.url,
    token: processes.token,
    concurrency: options.concurrency,
    durationMs: options.durationMs,
  });
  const at = (ms: number) => new Promise((settle) => setTimeout(settle, Math.max(0, started + ms - performance.now())));
  await at(killAt);
  for (const victim of victims) process.kill(victim.pid, "SIGKILL");
  await at(restartAt);
  const restartBegan = performance.now();
  const restarted = await Promise.all(
    victims.map((victim) => launch(dir, processes, victim.color, victim.slot, victim.port)),
  );
  await waitSlotsUp(
    processes.haproxy.socket,
    victims.map((victim) => victim.slot),
  );
  const backToFullCapacityMs = Math.round(performance.now() - restartBegan);
  processes.replicas = processes.replicas.map(
    (replica) => restarted.find((fresh) => fresh.slot === replica.slot) ?? replica,
  );
  await saveCluster(dir, processes, cluster.lb.url, cluster.redis.url);
  const all = await samples;
  const overall = summarize(all);
  return {
    replicas: total,
    killed,
    durationMs: options.durationMs,
    requests: overall.requests,
    failed: overall.failed,
    failedStatuses: overall.failedStatuses,
    before: summarize(all, 0, killAt),
    during: summarize(all, killAt, restartAt),
    after: summarize(all, restartAt),
    backToFullCapacityMs,
  };
}
