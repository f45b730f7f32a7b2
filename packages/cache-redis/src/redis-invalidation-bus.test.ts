import { type ChildProcess, spawn } from "node:child_process";
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";
import {
  Agent,
  createAgentFactory,
  createTieredCache,
  directorySource,
  type InvalidationMessage,
  memoryTier,
  trustPolicy,
} from "@nextgen/core";
import { until } from "@nextgen/test-support";
import { createClient } from "redis";
import { afterAll, describe, expect, it } from "vitest";
import { redisInvalidationBus } from "./redis-invalidation-bus.js";
import { REDIS_URL, redisSkipReason, uniquePrefix } from "./redis-test-env.js";

const skip = await redisSkipReason();

class Coordinator extends Agent<string, string> {
  protected execute(task: string): string {
    return task;
  }
}
const repositoryRoot = fileURLToPath(new URL("../../..", import.meta.url));
const instanceScript = fileURLToPath(new URL("./__fixtures__/bus-instance.ts", import.meta.url));
const factoryScript = fileURLToPath(new URL("./__fixtures__/factory-instance.ts", import.meta.url));
const root = await mkdtemp(join(tmpdir(), "nextgen-bus-"));
const children: ChildProcess[] = [];
afterAll(async () => {
  for (const child of children) child.kill();
  await rm(root, { recursive: true, force: true });
});

/** Resolves with the first line of `child`'s stdout that satisfies `match`, or rejects after `deadlineMs`. */
const waitForLine = (child: ChildProcess, match: (line: string) => boolean, deadlineMs: number) =>
  new Promise<string>((resolve, reject) => {
    const lines = createInterface({ input: child.stdout! });
    const timer = setTimeout(() => reject(new Error(`no matching line within ${deadlineMs} ms`)), deadlineMs);
    lines.on("line", (line) => {
      if (!match(line)) return;
      clearTimeout(timer);
      lines.close();
      resolve(line);
    });
  });

describe.skipIf(skip !== undefined)("redisInvalidationBus", () => {
  const template = (version: string) => JSON.stringify({ schemaVersion: 1, id: "a/b", version });

  it("makes an instance in another process drop a changed template and load the new one", async () => {
    const channel = uniquePrefix("bus");
    const file = join(root, "a-b.json");
    await writeFile(file, template("1.0.0"));
    const child = spawn(process.execPath, ["--import", "tsx", instanceScript, REDIS_URL, channel, file], {
      cwd: repositoryRoot,
      stdio: ["pipe", "pipe", "inherit"],
    });
    children.push(child);
    await waitForLine(child, (line) => line.includes('"1.0.0"'), 15_000);

    // This process is the instance that sees the change (a hot reload, a publish).
    const bus = redisInvalidationBus({ url: REDIS_URL, channel });
    const admit = async (bytes: Uint8Array) => Object.freeze({ text: new TextDecoder().decode(bytes) });
    const here = createTieredCache({ layers: [memoryTier()], bus, admit, load: async () => undefined });
    await writeFile(file, template("2.0.0"));
    const seen = waitForLine(child, (line) => line.includes('"2.0.0"'), 5_000);
    const started = performance.now();
    await here.invalidate("a/b", { reason: "updated" });
    // Under 1 s in practice; the deadline is generous so that a loaded CI machine does not flake.
    await expect(seen).resolves.toContain("2.0.0");
    console.info(
      `[cache-redis] the other process served the new version after ${(performance.now() - started).toFixed(1)} ms`,
    );
    child.stdin!.end();
    await here.close();
    await bus.close();
  });

  it("makes a factory in another process create from the version a hot reload applied here", async () => {
    const channel = uniquePrefix("bus-factory");
    const dir = join(root, "templates");
    await mkdir(join(dir, "analysis"), { recursive: true });
    const coordinator = (version: string) =>
      JSON.stringify({
        schemaVersion: 1,
        id: "analysis/coordinator",
        version,
        name: "Coordinator",
        role: "coordinator",
        description: "Splits work.",
      });
    await writeFile(join(dir, "analysis", "coordinator.json"), coordinator("1.0.0"));
    const child = spawn(
      process.execPath,
      ["--no-warnings", "--import", "tsx", factoryScript, REDIS_URL, channel, dir],
      {
        cwd: repositoryRoot,
        stdio: ["pipe", "pipe", "inherit"],
      },
    );
    children.push(child);
    await waitForLine(child, (line) => line.includes('"1.0.0"'), 15_000);

    // This instance watches the directory: it verifies the change, swaps it in and tells the others.
    const bus = redisInvalidationBus({ url: REDIS_URL, channel });
    const here = createAgentFactory({
      source: directorySource(dir, { watch: { debounceMs: 20, pollIntervalMs: 20 } }),
      kinds: { coordinator: Coordinator },
      trust: trustPolicy({ version: 1, keys: [], requireSignatures: false }),
      cache: { layers: [memoryTier()], bus, hotReload: true },
    });
    await bus.ready();
    expect((await here.create("analysis/coordinator")).template.version).toBe("1.0.0");
    const seen = waitForLine(child, (line) => line.includes('"1.1.0"'), 10_000);
    await writeFile(join(dir, "analysis", "coordinator.json"), coordinator("1.1.0"));
    await expect(seen).resolves.toContain("1.1.0");
    expect((await here.create("analysis/coordinator")).template.version).toBe("1.1.0");
    child.stdin!.end();
    await here.close();
    await bus.close();
  });

  it("delivers well-formed messages and ignores malformed ones", async () => {
    const channel = uniquePrefix("bus-junk");
    const bus = redisInvalidationBus({ url: REDIS_URL, channel });
    const received: InvalidationMessage[] = [];
    bus.subscribe((message) => received.push(message));
    await bus.ready();
    const raw = createClient({ url: REDIS_URL });
    await raw.connect();
    await raw.publish(channel, "not json");
    await raw.publish(channel, JSON.stringify({ keys: "a/b", reason: "updated", origin: "x" }));
    await raw.publish(channel, JSON.stringify({ keys: ["a/b"], reason: "pwned", origin: "x" }));
    await bus.publish({ keys: ["a/b"], reason: "revoked", origin: "other" });
    await until(() => received.length > 0, { what: "the valid message" }).catch(() => undefined);
    expect(received).toEqual([{ keys: ["a/b"], reason: "revoked", origin: "other" }]);
    raw.destroy();
    await bus.close();
    expect((await bus.health()).status).toBe("degraded");
  });
});
