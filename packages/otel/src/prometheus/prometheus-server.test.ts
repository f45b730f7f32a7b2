// The shipped alert rules on a real Prometheus server (Debian's `prometheus` package),
// scraping a real workload's /metrics over HTTP: the refusal and tier-down alerts fire, then
// resolve. The rules run as a copy with short windows and `for` durations so the whole
// life cycle fits in well under a minute; the expressions are the shipped ones. CI sets
// NEXTGEN_REQUIRE_PROMTOOL=1 so a missing binary fails there instead of skipping.
import { type ChildProcess, spawn, spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { createServer, type Server } from "node:http";
import { createServer as createNetServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { until } from "@nextgen/test-support";
import { Registry } from "prom-client";
import { afterAll, expect, it } from "vitest";
import { realFactory } from "../__fixtures__/real-factory.js";
import { metricsHandler } from "./metrics-handler.js";
import { registerPrometheusMetrics } from "./register-prometheus-metrics.js";

const hasPrometheus = spawnSync("prometheus", ["--version"], { stdio: "ignore" }).status === 0;
const required = process.env.NEXTGEN_REQUIRE_PROMTOOL === "1";
if (!hasPrometheus && !required) {
  console.warn("prometheus not found: skipping the real-Prometheus alert test (apt-get install -y prometheus)");
}

const JOB = "nextgen-e2e";
const rulesText = readFileSync(new URL("../../assets/prometheus/nextgen-alerts.rules.yml", import.meta.url), "utf8");

/** The shipped rules with every range, offset and `for` shortened to seconds. */
function shortRules(text: string): string {
  return text
    .replace(/\[\d+m\]/g, "[20s]")
    .replace(/offset \d+m/g, "offset 20s")
    .replace(/for: \d+m/g, "for: 3s");
}

const cleanups: (() => Promise<void> | void)[] = [];
afterAll(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

function freeLoopbackPort(): Promise<number> {
  // Prometheus cannot listen on port 0 and report the port, so take one the OS says is free.
  return new Promise((resolve, reject) => {
    const probe = createNetServer();
    probe.once("error", reject);
    probe.listen(0, "127.0.0.1", () => {
      const address = probe.address();
      probe.close(() => (typeof address === "object" && address !== null ? resolve(address.port) : reject()));
    });
  });
}

function listen(server: Server): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      if (typeof address === "object" && address !== null) resolve(address.port);
      else reject(new Error("no address"));
    });
  });
}

interface ActiveAlert {
  labels: Record<string, string>;
  state: "pending" | "firing";
}

async function startPrometheus(dir: string, target: number): Promise<{ url: string; log: () => string }> {
  await writeFile(join(dir, "rules.yml"), shortRules(rulesText));
  await writeFile(
    join(dir, "prometheus.yml"),
    [
      "global: { scrape_interval: 1s, evaluation_interval: 1s }",
      "rule_files: [rules.yml]",
      "scrape_configs:",
      `  - job_name: ${JOB}`,
      `    static_configs: [{ targets: ["127.0.0.1:${target}"] }]`,
      "",
    ].join("\n"),
  );
  let output = "";
  // A port taken between the probe and prometheus' bind: try another.
  for (let attempt = 0; attempt < 3; attempt++) {
    const port = await freeLoopbackPort();
    const child: ChildProcess = spawn(
      "prometheus",
      [
        `--config.file=${join(dir, "prometheus.yml")}`,
        `--storage.tsdb.path=${join(dir, `data-${attempt}`)}`,
        `--web.listen-address=127.0.0.1:${port}`,
        "--log.level=warn",
      ],
      { cwd: dir, stdio: ["ignore", "pipe", "pipe"] },
    );
    child.stdout?.on("data", (chunk) => (output += chunk));
    child.stderr?.on("data", (chunk) => (output += chunk));
    const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
    cleanups.push(async () => {
      if (child.exitCode === null && child.signalCode === null) child.kill("SIGTERM");
      await exited;
    });
    const url = `http://127.0.0.1:${port}`;
    // An exited child (its port was taken) ends the wait at once: the next attempt takes another port.
    const state = await until(
      async () => {
        if (child.exitCode !== null) return "exited";
        const response = await fetch(`${url}/-/ready`);
        return response.ok ? "ready" : undefined;
      },
      { what: "prometheus to be ready", timeoutMs: 20_000, intervalMs: 250 },
    );
    if (state === "ready") return { url, log: () => output };
  }
  throw new Error(`prometheus did not start:\n${output}`);
}

it.skipIf(!hasPrometheus && !required)(
  "fires the refusal and tier-down alerts on a real Prometheus, then resolves them",
  async () => {
    if (!hasPrometheus)
      throw new Error("prometheus not found (NEXTGEN_REQUIRE_PROMTOOL=1): apt-get install -y prometheus");
    // A real factory whose template is signed by a key the policy does not know, and whose
    // file tier directory is unusable (a regular file stands where it should be).
    const real = await realFactory(undefined, true);
    cleanups.push(real.cleanup);
    await writeFile(real.cacheDir, "not a directory");
    const registry = new Registry();
    const prometheus = registerPrometheusMetrics({ registry, trust: real.trust, health: real.factory });
    cleanups.push(() => prometheus.close());
    const server = createServer(metricsHandler(registry, { health: real.factory }));
    const target = await listen(server);
    cleanups.push(() => new Promise<void>((resolve) => server.close(() => resolve())));
    const dir = await mkdtemp(join(tmpdir(), "nextgen-prometheus-"));
    cleanups.push(() => rm(dir, { recursive: true, force: true }));

    const { url, log } = await startPrometheus(dir, target);
    const query = async (promql: string): Promise<unknown[]> => {
      const response = await fetch(`${url}/api/v1/query?query=${encodeURIComponent(promql)}`);
      return ((await response.json()) as { data: { result: unknown[] } }).data.result;
    };
    const alerts = async (): Promise<ActiveAlert[]> => {
      const response = await fetch(`${url}/api/v1/alerts`);
      return ((await response.json()) as { data: { alerts: ActiveAlert[] } }).data.alerts;
    };
    const firing = (list: ActiveAlert[], name: string) =>
      list.find((alert) => alert.labels.alertname === name && alert.state === "firing");

    try {
      // Prometheus has seen the refusal series at 0 before the first refusal happens.
      await until(
        async () => {
          const result = await query(`nextgen_signature_verdicts_total{job="${JOB}",reason="unknown-key"} == 0`);
          return result.length > 0 ? true : undefined;
        },
        { what: "the first scrape", timeoutMs: 30_000, intervalMs: 250 },
      );
      // One tampered template, once: the first refusal since the start.
      await expect(real.factory.create("security/auditor")).rejects.toMatchObject({
        code: "NG_ERR_SIGNATURE_KEY_UNKNOWN",
      });

      const fired = await until(
        async () => {
          const list = await alerts();
          const refused = firing(list, "NextGenSignatureRefused");
          const tierDown = firing(list, "NextGenCacheTierDown");
          return refused !== undefined && tierDown !== undefined ? { refused, tierDown } : undefined;
        },
        { what: "both alerts to fire", timeoutMs: 45_000, intervalMs: 250 },
      );
      expect(fired.refused.labels).toMatchObject({ job: JOB, reason: "unknown-key", severity: "critical" });
      expect(fired.tierDown.labels).toMatchObject({ job: JOB, instance: `127.0.0.1:${target}`, tier: "file" });

      // The tier becomes usable; no create happens, so only its health check can tell.
      await rm(real.cacheDir);
      await until(
        async () => {
          const list = await alerts();
          const names = list.map((alert) => alert.labels.alertname);
          return names.includes("NextGenSignatureRefused") || names.includes("NextGenCacheTierDown") ? undefined : true;
        },
        { what: "both alerts to resolve", timeoutMs: 60_000, intervalMs: 250 },
      );
      const tierUp = await query(`nextgen_cache_tier_up{job="${JOB}",tier="file"}`);
      expect(tierUp).toMatchObject([{ value: [expect.any(Number), "1"] }]);
    } catch (error) {
      throw new Error(`${(error as Error).message}\nprometheus log:\n${log()}`);
    }
  },
  150_000,
);

it("shortens every window and `for` of the shipped rules, and nothing else", () => {
  const short = shortRules(rulesText);
  expect(short).not.toMatch(/\[\d+m\]|for: \d+m|offset \d+m/);
  expect(short.match(/alert: /g)?.length).toBe(rulesText.match(/alert: /g)?.length);
  expect(short.replace(/\[20s\]|offset 20s|for: 3s/g, "")).toBe(
    rulesText.replace(/\[\d+m\]|offset \d+m|for: \d+m/g, ""),
  );
});
