import { type Color, loadCluster, saveCluster } from "./cluster-files.js";
import { startColor } from "./cluster-up-down.js";
import { setSlotState } from "./haproxy.js";
import { runLoad, summarize } from "./load-generator.js";
import { stopPid } from "./local-processes.js";
import { signRelease } from "./release-sets.js";

/** What `bluegreen` and `rollback` report. */
export interface ReleaseReport {
  from: Color;
  to: Color;
  requests: number;
  failed: number;
  failedStatuses: number[];
  p95Ms: number;
  p99Ms: number;
  switchMs: number;
}

/**
 * Moves the live colour to the other one under a steady load: starts the other colour's
 * replicas (`resign`: with a newly signed template set), waits until HAProxy's checks see
 * them up, drains the old colour in HAProxy, SIGTERMs its replicas (they finish what they
 * have), and takes them out. The load runs from before the first replica starts until
 * `tailMs` after the switch, so every request of the switch is counted.
 */
export async function switchColor(
  dir: string,
  options: { resign: boolean; concurrency: number; tailMs?: number },
): Promise<ReleaseReport> {
  const { cluster, processes } = await loadCluster(dir);
  const from = processes.live;
  const to: Color = from === "blue" ? "green" : "blue";
  if (options.resign || Object.keys(processes.releases[to]).length === 0)
    processes.releases[to] = await signRelease(dir, to);
  const load = new AbortController();
  const samples = runLoad({
    url: cluster.lb.url,
    token: processes.token,
    concurrency: options.concurrency,
    durationMs: 600_000,
    signal: load.signal,
  });
  const began = performance.now();
  try {
    const old = processes.replicas;
    const fresh = await startColor(dir, processes, to, old.length);
    for (const replica of old) await setSlotState(processes.haproxy.socket, replica.slot, "drain");
    processes.replicas = [...fresh];
    processes.live = to;
    await Promise.all(old.map((replica) => stopPid(replica.pid, "SIGTERM", 30_000)));
    for (const replica of old) await setSlotState(processes.haproxy.socket, replica.slot, "maint");
    await saveCluster(dir, processes, cluster.lb.url, cluster.redis.url);
    const switchMs = Math.round(performance.now() - began);
    await new Promise((settle) => setTimeout(settle, options.tailMs ?? 2_000));
    load.abort();
    const summary = summarize(await samples);
    return { from, to, ...summary, switchMs } as ReleaseReport;
  } finally {
    load.abort();
    await samples.catch(() => []);
  }
}
