import { spawn, spawnSync } from "node:child_process";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import type { ClusterFile } from "./cluster-files.js";
import { alive, REPO_ROOT } from "./local-processes.js";

const CLI = join(REPO_ROOT, "examples/agent-service/src/cluster/cli.ts");
const hasHaproxy = spawnSync("haproxy", ["-v"], { stdio: "ignore" }).status === 0;
const hasRedis = spawnSync("redis-server", ["--version"], { stdio: "ignore" }).status === 0;
if (process.env.CI && !(hasHaproxy && hasRedis))
  throw new Error("CI=true but haproxy or redis-server is missing (.ci/run installs them)");

/** Runs one cluster command as an operator would; resolves with its exit code and JSON report. */
function cluster(
  args: string[],
  timeoutMs = 180_000,
): Promise<{ code: number | null; report: Record<string, unknown>; stderr: string }> {
  return new Promise((settle, reject) => {
    // The cluster brings its own Redis: CI's REDIS_URL must not leak into it.
    const child = spawn(process.execPath, ["--import", "tsx", CLI, ...args], {
      cwd: REPO_ROOT,
      env: { ...process.env, REDIS_URL: "", LOG_LEVEL: "warn" },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk) => (stdout += String(chunk)));
    child.stderr.on("data", (chunk) => (stderr += String(chunk)));
    const timer = setTimeout(() => {
      child.kill("SIGKILL");
      reject(new Error(`cluster ${args[0]} did not finish in ${timeoutMs} ms: ${stderr}`));
    }, timeoutMs);
    child.once("exit", (code) => {
      clearTimeout(timer);
      try {
        settle({ code, report: stdout.trim() ? JSON.parse(stdout) : {}, stderr });
      } catch (error) {
        reject(new Error(`cluster ${args[0]} printed no JSON (${String(error)}): ${stdout}\n${stderr}`));
      }
    });
  });
}

describe.skipIf(!hasHaproxy || !hasRedis)("npm run cluster: 4 replicas behind HAProxy on a private Redis", () => {
  let dir: string;
  afterAll(async () => {
    if (dir === undefined) return;
    await cluster(["down", "--dir", dir]).catch(() => undefined);
    await rm(dir, { recursive: true, force: true });
  });

  it("up, chaos (25 % killed), bluegreen and rollback lose no request; down stops every process", {
    timeout: 600_000,
  }, async () => {
    dir = await mkdtemp(join(tmpdir(), "nextgen-cluster-"));
    const started = await cluster(["up", "--replicas", "4", "--dir", dir]);
    expect(started.code, started.stderr).toBe(0);
    const file = JSON.parse(await readFile(join(dir, "cluster.json"), "utf8")) as ClusterFile;
    expect(Object.keys(file).sort()).toEqual(["lb", "redis", "replicas"]);
    expect(file.replicas).toHaveLength(4);
    for (const replica of file.replicas) {
      expect(Object.keys(replica).sort()).toEqual(["color", "pid", "port"]);
      expect(replica.color).toBe("blue");
      expect(alive(replica.pid)).toBe(true);
    }
    expect(file.lb.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(file.redis.url).toMatch(/^redis:\/\/127\.0\.0\.1:\d+$/);
    expect((await fetch(`${file.lb.url}/healthz/ready`)).status).toBe(200);

    // The documented default is 60 s; CI runs the same schedule (kill at 1/3, restart at 2/3) in 15 s.
    const chaos = await cluster(["chaos", "--kill", "25%", "--duration", "15s", "--dir", dir]);
    expect(chaos.report, chaos.stderr).toMatchObject({ replicas: 4, killed: 1, failed: 0 });
    expect(chaos.report.requests).toBeGreaterThan(0);
    expect((chaos.report.during as { requests: number }).requests).toBeGreaterThan(0);
    expect(chaos.code).toBe(0);

    const bluegreen = await cluster(["bluegreen", "--dir", dir]);
    expect(bluegreen.report, bluegreen.stderr).toMatchObject({ from: "blue", to: "green", failed: 0 });
    const afterSwitch = JSON.parse(await readFile(join(dir, "cluster.json"), "utf8")) as ClusterFile;
    expect(afterSwitch.replicas.map((replica) => replica.color)).toEqual(["green", "green", "green", "green"]);
    for (const replica of file.replicas) expect(alive(replica.pid), "blue replicas drained and exited").toBe(false);

    const rollback = await cluster(["rollback", "--dir", dir]);
    expect(rollback.report, rollback.stderr).toMatchObject({ from: "green", to: "blue", failed: 0 });
    const current = JSON.parse(await readFile(join(dir, "cluster.json"), "utf8")) as ClusterFile;

    const stopped = await cluster(["down", "--dir", dir]);
    expect(stopped.code).toBe(0);
    const pids = (stopped.report as { stopped: number[] }).stopped;
    for (const replica of current.replicas) expect(pids).toContain(replica.pid);
    expect(pids.every((pid) => !alive(pid))).toBe(true);
  });

  it("refuses a bad command line with a usage line and exit 1", async () => {
    const bad = await cluster(["chaos", "--kill", "250%", "--dir", join(tmpdir(), "nowhere")]);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/--kill must be a share/);
    const unknown = await cluster(["explode", "--dir", join(tmpdir(), "nowhere")]);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toMatch(/unknown command "explode"/);
  });
});
