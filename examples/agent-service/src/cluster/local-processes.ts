import { type ChildProcess, spawn } from "node:child_process";
import { openSync } from "node:fs";
import { createServer } from "node:net";
import { resolve } from "node:path";

/** The repository root (this file is `examples/agent-service/src/cluster/`). */
export const REPO_ROOT: string = resolve(import.meta.dirname, "../../../..");
const MAIN = resolve(REPO_ROOT, "examples/agent-service/src/main.ts");

const sleep = (ms: number): Promise<void> => new Promise((settle) => setTimeout(settle, ms));

/** A free loopback TCP port (the OS picks it). */
export function freePort(): Promise<number> {
  return new Promise((settle, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() =>
        typeof address === "object" && address ? settle(address.port) : reject(new Error("no port")),
      );
    });
  });
}

/** Starts a detached process whose output goes to `logFile`; it outlives this one. */
export function startDetached(command: string, args: string[], env: NodeJS.ProcessEnv, logFile: string): ChildProcess {
  const log = openSync(logFile, "a");
  const child = spawn(command, args, { cwd: REPO_ROOT, env, detached: true, stdio: ["ignore", log, log] });
  child.unref();
  if (child.pid === undefined) throw new Error(`${command} did not start (see ${logFile})`);
  return child;
}

/** Starts one service replica on `port` (sources through tsx, as the service's own tests do). */
export function startReplica(port: number, env: Record<string, string>, logFile: string): number {
  const child = startDetached(
    process.execPath,
    ["--import", "tsx", MAIN],
    { ...process.env, ...env, PORT: String(port), HOST: "127.0.0.1", LOG_LEVEL: process.env.LOG_LEVEL ?? "warn" },
    logFile,
  );
  return child.pid!;
}

/** Whether `pid` is alive. */
export function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** Sends `signal`, waits up to `timeoutMs` for the exit, then SIGKILLs. Resolves when gone. */
export async function stopPid(pid: number, signal: NodeJS.Signals = "SIGTERM", timeoutMs = 15_000): Promise<void> {
  if (!alive(pid)) return;
  process.kill(pid, signal);
  for (const deadline = Date.now() + timeoutMs; alive(pid); await sleep(25)) {
    if (Date.now() > deadline) {
      process.kill(pid, "SIGKILL");
      while (alive(pid)) await sleep(25);
      return;
    }
  }
}

/** Polls `url` until it answers 200, the process dies, or `timeoutMs` passes. */
export async function waitReady(url: string, pid: number, timeoutMs = 60_000): Promise<void> {
  for (const deadline = Date.now() + timeoutMs; ; await sleep(100)) {
    try {
      const response = await fetch(url, { signal: AbortSignal.timeout(1_000) });
      await response.arrayBuffer();
      if (response.status === 200) return;
    } catch {}
    if (!alive(pid)) throw new Error(`process ${pid} exited before ${url} was ready`);
    if (Date.now() > deadline) throw new Error(`${url} was not ready within ${timeoutMs} ms`);
  }
}
