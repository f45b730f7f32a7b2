import { randomBytes } from "node:crypto";
import { readFile, rename, writeFile } from "node:fs/promises";
import { join } from "node:path";

/** A replica's colour: the release it serves. */
export type Color = "blue" | "green";

/** `<dir>/cluster.json`: what a client of the cluster needs (the exact shape). */
export interface ClusterFile {
  lb: { url: string };
  replicas: Array<{ pid: number; port: number; color: Color }>;
  redis: { url: string };
}

/** `<dir>/processes.json`: everything `up` started, so `down` stops it by pid. */
export interface ProcessesFile {
  haproxy: { pid: number; socket: string; config: string };
  /** A redis-server this cluster started (absent when `REDIS_URL` was given). */
  redis?: { pid: number; port: number };
  /** Replicas with their HAProxy server slot (`replicas/r<n>`). */
  replicas: Array<{ pid: number; port: number; color: Color; slot: number }>;
  /** Bearer token the load generator sends. */
  token: string;
  /** Colour → the environment its replicas start with (templates and trust of that release). */
  releases: Record<Color, Record<string, string>>;
  /** Environment shared by every replica (Redis, auth, prefix). */
  env: Record<string, string>;
  live: Color;
}

async function writeJson(path: string, value: unknown): Promise<void> {
  const temporary = `${path}.${process.pid}.${randomBytes(4).toString("hex")}.tmp`;
  await writeFile(temporary, `${JSON.stringify(value, null, 2)}\n`);
  await rename(temporary, path);
}

/** Writes both files; `cluster.json` lists the replicas of the live colour. */
export async function saveCluster(
  dir: string,
  processes: ProcessesFile,
  lbUrl: string,
  redisUrl: string,
): Promise<void> {
  await writeJson(join(dir, "processes.json"), processes);
  const cluster: ClusterFile = {
    lb: { url: lbUrl },
    replicas: processes.replicas.map(({ pid, port, color }) => ({ pid, port, color })),
    redis: { url: redisUrl },
  };
  await writeJson(join(dir, "cluster.json"), cluster);
}

/** Reads both files of a running cluster. */
export async function loadCluster(dir: string): Promise<{ cluster: ClusterFile; processes: ProcessesFile }> {
  const read = async (name: string) => JSON.parse(await readFile(join(dir, name), "utf8"));
  return {
    cluster: (await read("cluster.json")) as ClusterFile,
    processes: (await read("processes.json")) as ProcessesFile,
  };
}
