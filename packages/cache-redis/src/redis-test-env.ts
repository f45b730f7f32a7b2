import { type ChildProcess, spawn, spawnSync } from "node:child_process";
import { randomUUID } from "node:crypto";
import { createServer } from "node:net";
import { createClient } from "redis";

/** The Redis the tests use: `REDIS_URL`, or the local default. @internal */
export const REDIS_URL: string = process.env.REDIS_URL ?? "redis://127.0.0.1:6379";

/** Whether Redis must answer (CI sets `NEXTGEN_REQUIRE_REDIS=1`): then absence fails instead of skipping. @internal */
export const REDIS_REQUIRED: boolean = process.env.NEXTGEN_REQUIRE_REDIS === "1";

/** A key prefix unique to this test run, so parallel runs never see each other's keys. @internal */
export function uniquePrefix(label: string): string {
  return `nextgen-test:${label}:${process.pid}:${randomUUID().slice(0, 8)}:`;
}

/** Whether a Redis answers PING at `url` within a second. @internal */
export async function redisAnswers(url: string): Promise<boolean> {
  const client = createClient({
    url,
    disableOfflineQueue: true,
    socket: { connectTimeout: 1_000, reconnectStrategy: false },
  });
  client.on("error", () => undefined);
  try {
    await Promise.race([client.connect(), new Promise((_, reject) => setTimeout(reject, 1_500).unref())]);
    return (await client.ping()) === "PONG";
  } catch {
    return false;
  } finally {
    if (client.isOpen) client.destroy();
  }
}

/**
 * `undefined` when Redis answers at {@link REDIS_URL}; otherwise the reason to skip.
 * Throws instead when {@link REDIS_REQUIRED}. @internal
 */
export async function redisSkipReason(): Promise<string | undefined> {
  if (await redisAnswers(REDIS_URL)) return undefined;
  const reason = `no Redis answers at ${REDIS_URL} (set REDIS_URL, or start redis-server)`;
  if (REDIS_REQUIRED) throw new Error(`NEXTGEN_REQUIRE_REDIS=1 but ${reason}`);
  console.warn(`[cache-redis] skipping Redis tests: ${reason}`);
  return reason;
}

/** A private `redis-server` the test may kill. @internal */
export interface PrivateRedis {
  readonly url: string;
  readonly process: ChildProcess;
  /** Kills the server (SIGKILL) and waits for it to exit. */
  kill(): Promise<void>;
}

/** Whether the `redis-server` binary is installed. @internal */
export function hasRedisServer(): boolean {
  return spawnSync("redis-server", ["--version"], { stdio: "ignore" }).status === 0;
}

/** Starts `redis-server` on a free port, without persistence; never touches the machine's Redis. @internal */
export async function startPrivateRedis(onPort?: number): Promise<PrivateRedis> {
  const port = onPort ?? (await freePort());
  const child = spawn(
    "redis-server",
    ["--port", String(port), "--save", "", "--appendonly", "no", "--bind", "127.0.0.1"],
    {
      stdio: "ignore",
    },
  );
  const url = `redis://127.0.0.1:${port}`;
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  for (let attempt = 0; attempt < 100; attempt += 1) {
    if (await redisAnswers(url)) {
      return {
        url,
        process: child,
        async kill() {
          child.kill("SIGKILL");
          await exited;
        },
      };
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  child.kill("SIGKILL");
  throw new Error(`redis-server did not start on port ${port}`);
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() =>
        typeof address === "object" && address !== null ? resolve(address.port) : reject(new Error("no port")),
      );
    });
  });
}
