import { mkdir } from "node:fs/promises";
import { connect } from "node:net";
import { join } from "node:path";
import { freePort, startDetached } from "./local-processes.js";

/** Whether a Redis answers PING on `port` within a second. */
export function redisPing(port: number, host = "127.0.0.1"): Promise<boolean> {
  return new Promise((settle) => {
    const socket = connect(port, host);
    socket.setTimeout(1_000, () => socket.destroy());
    socket.once("error", () => settle(false));
    socket.once("close", () => settle(false));
    socket.once("data", (chunk) => {
      settle(String(chunk).startsWith("+PONG"));
      socket.destroy();
    });
    socket.once("connect", () => socket.write("PING\r\n"));
  });
}

/** Starts a private redis-server on a free loopback port (no persistence), on `port` if given. */
export async function startRedis(dir: string, port?: number): Promise<{ pid: number; port: number; url: string }> {
  const chosen = port ?? (await freePort());
  const redisDir = join(dir, "redis");
  await mkdir(redisDir, { recursive: true });
  const child = startDetached(
    "redis-server",
    ["--port", String(chosen), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--dir", redisDir],
    process.env,
    join(dir, "redis.log"),
  );
  for (let attempt = 0; attempt < 100; attempt++) {
    if (await redisPing(chosen)) return { pid: child.pid!, port: chosen, url: `redis://127.0.0.1:${chosen}` };
    await new Promise((settle) => setTimeout(settle, 50));
  }
  throw new Error(`redis-server did not answer on port ${chosen} (see ${join(dir, "redis.log")})`);
}
