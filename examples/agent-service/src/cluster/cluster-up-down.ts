import { randomBytes } from "node:crypto";
import { existsSync } from "node:fs";
import { mkdir, rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { type ClusterFile, type Color, loadCluster, type ProcessesFile, saveCluster } from "./cluster-files.js";
import { enableSlot, haproxyConfig, runtimeCommand, SLOTS, waitSlotsUp } from "./haproxy.js";
import { alive, freePort, startDetached, startReplica, stopPid, waitReady } from "./local-processes.js";
import { startRedis } from "./redis-server.js";
import { clusterAuth, signRelease } from "./release-sets.js";

type Replica = ProcessesFile["replicas"][number];

/** Starts `count` replicas of `color` in free HAProxy slots, waits until each is ready, and enables them. */
export async function startColor(
  dir: string,
  processes: ProcessesFile,
  color: Color,
  count: number,
  onStarted?: (replica: Replica) => Promise<void>,
): Promise<Replica[]> {
  const used = new Set(processes.replicas.map((replica) => replica.slot));
  const slots = Array.from({ length: SLOTS }, (_, index) => index + 1)
    .filter((slot) => !used.has(slot))
    .slice(0, count);
  if (slots.length < count) throw new Error(`only ${slots.length} free HAProxy slots for ${count} replicas`);
  const started = await Promise.all(
    slots.map(async (slot) => {
      const port = await freePort();
      const replica = await launch(dir, processes, color, slot, port);
      await onStarted?.(replica);
      return replica;
    }),
  );
  for (const replica of started) await enableSlot(processes.haproxy.socket, replica.slot, replica.port);
  await waitSlotsUp(processes.haproxy.socket, slots);
  return started;
}

/** Starts (or restarts) the replica of `slot` on `port` and waits until it is ready. */
export async function launch(
  dir: string,
  processes: ProcessesFile,
  color: Color,
  slot: number,
  port: number,
): Promise<Replica> {
  const home = join(dir, `replica-${slot}`);
  await mkdir(home, { recursive: true });
  const env = {
    ...processes.env,
    ...processes.releases[color],
    STATE_DIR: join(home, "state"),
    CACHE_DIR: join(home, "cache"),
    AUDIT_LOG: join(home, "audit.jsonl"),
  };
  const pid = startReplica(port, env, join(dir, `replica-${slot}.log`));
  try {
    await waitReady(`http://127.0.0.1:${port}/healthz/ready`, pid);
  } catch (error) {
    await stopPid(pid, "SIGKILL", 1_000);
    throw new Error(`${(error as Error).message} (see ${join(dir, `replica-${slot}.log`)})`);
  }
  return { pid, port, color, slot };
}

/**
 * `up --replicas N`: Redis (or `REDIS_URL`), N replicas of the blue release on loopback
 * ports, HAProxy in front; writes `<dir>/cluster.json` once all are ready.
 */
export async function up(dir: string, replicas: number): Promise<ClusterFile> {
  if (!Number.isInteger(replicas) || replicas < 1 || replicas > SLOTS / 2)
    throw new Error(`--replicas must be an integer from 1 to ${SLOTS / 2}`);
  await mkdir(dir, { recursive: true });
  if (existsSync(join(dir, "processes.json"))) {
    const { processes } = await loadCluster(dir);
    if (alive(processes.haproxy.pid)) throw new Error(`a cluster is already up in ${dir}: run down first`);
  }
  const redis = process.env.REDIS_URL ? undefined : await startRedis(dir);
  const redisUrl = process.env.REDIS_URL || redis!.url;
  const auth = await clusterAuth(dir);
  const socket = join(dir, "haproxy.sock");
  const config = join(dir, "haproxy.cfg");
  const lbPort = await freePort();
  await writeFile(config, haproxyConfig({ port: lbPort, socket }));
  await rm(socket, { force: true });
  const haproxy = startDetached("haproxy", ["-f", config, "-db"], process.env, join(dir, "haproxy.log"));
  const processes: ProcessesFile = {
    haproxy: { pid: haproxy.pid!, socket, config },
    ...(redis ? { redis: { pid: redis.pid, port: redis.port } } : {}),
    replicas: [],
    token: auth.token,
    releases: { blue: await signRelease(dir, "blue"), green: {} },
    env: {
      ...auth.env,
      REDIS_URL: redisUrl,
      NEXTGEN_REDIS_PREFIX: process.env.NEXTGEN_REDIS_PREFIX || `nextgen:cluster:${randomBytes(4).toString("hex")}:`,
    },
    live: "blue",
  };
  const lbUrl = `http://127.0.0.1:${lbPort}`;
  // Written before the replicas start, so `down` can stop whatever did start if `up` fails.
  await saveCluster(dir, processes, lbUrl, redisUrl);
  for (let attempt = 0; !existsSync(socket); attempt++) {
    if (attempt > 100 || !alive(haproxy.pid!))
      throw new Error(`haproxy did not start (see ${join(dir, "haproxy.log")})`);
    await new Promise((settle) => setTimeout(settle, 50));
  }
  try {
    await runtimeCommand(socket, "show info");
    processes.replicas = await startColor(dir, processes, "blue", replicas, async (started) => {
      // Recorded as each starts, so a failure below still leaves every pid for `down`.
      processes.replicas.push(started);
      await saveCluster(dir, processes, lbUrl, redisUrl);
    });
    await saveCluster(dir, processes, lbUrl, redisUrl);
  } catch (error) {
    await down(dir);
    throw error;
  }
  return (await loadCluster(dir)).cluster;
}

/** `down`: stops every process `up` started (replicas drain on SIGTERM), by pid. */
export async function down(dir: string): Promise<{ stopped: number[] }> {
  if (!existsSync(join(dir, "processes.json"))) return { stopped: [] };
  const { processes } = await loadCluster(dir);
  const pids = processes.replicas.map((replica) => replica.pid);
  await Promise.all(pids.map((pid) => stopPid(pid, "SIGTERM", 30_000)));
  await stopPid(processes.haproxy.pid, "SIGTERM", 5_000);
  if (processes.redis) await stopPid(processes.redis.pid, "SIGTERM", 5_000);
  await rm(join(dir, "processes.json"), { force: true });
  return { stopped: [...pids, processes.haproxy.pid, ...(processes.redis ? [processes.redis.pid] : [])] };
}
